module gogcsim/validation

go 1.19
