// nothp runs a command with transparent huge pages switched off for it: prctl
// PR_SET_THP_DISABLE marks the process's memory, and the mark survives execve.
// record_scavenging.sh times the Go scavenger with and without huge pages.
//
// Usage: nothp COMMAND [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

const prSetTHPDisable = 41 // <linux/prctl.h>

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: nothp COMMAND [ARG...]")
		os.Exit(2)
	}
	if _, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetTHPDisable, 1, 0, 0, 0, 0); errno != 0 {
		fmt.Fprintln(os.Stderr, "nothp: prctl(PR_SET_THP_DISABLE):", errno)
		os.Exit(1)
	}
	path, err := exec.LookPath(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "nothp:", err)
		os.Exit(1)
	}
	err = syscall.Exec(path, os.Args[1:], os.Environ())
	fmt.Fprintln(os.Stderr, "nothp: exec:", err)
	os.Exit(1)
}
