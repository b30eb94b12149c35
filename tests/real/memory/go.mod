module gogcsim/realmemory

go 1.19
