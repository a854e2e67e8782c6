"""The base every other package imports: where things live (settings) and SQL text quoting. It imports
none of ours, so arrows only point down to it."""
