package main

import "time"

var epoch = time.Now()

func nowNs() int64 { return int64(time.Since(epoch)) }
