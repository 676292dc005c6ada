complete --keep-order --exclusive --command hcl --arguments "(COMPLETE=fish hcl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
