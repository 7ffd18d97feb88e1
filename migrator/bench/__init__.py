"""`migrate bench`: the Django stack against the generated Go stack on one PostgreSQL (docs/performance.md).

runner (the run), stacks (how each stack is started), procs (processes: cold start, PSS, CPU), loadgen
(the Go load generator shipped as loadgen/main.go), summary (medians, ratios, goals), report (terminal
table, JSON, Markdown) and chart (the SVG of the ratios next to the published claims).
"""
