"""The base every other package imports: where things live (settings), SQL text quoting and reading
YAML. It imports none of ours, so arrows only point down to it."""
