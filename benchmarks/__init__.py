"""Benchmarks of the dashboard at provincial (35 tasks) to national (100 000 tasks) scale.

    python -m benchmarks                      # sizes 35, 1000, 10000, 100000; repeat 3
    python -m benchmarks --quick              # CI: sizes 35 and 1000, repeat 2
    python -m benchmarks --sizes 35,10000 --repeat 5 --json out.json --markdown out.md

Synthetic plans (`benchmarks.synth`, fixed seed) are written as CSV files and read through
`analysis.model.plan_from_bytes`. Every stage runs in a fresh process (`benchmarks.worker`):
load + normalise, graph + all metrics, layout (each timed, plus a tracemalloc peak and the
process's ru_maxrss), every page through AppTest cold and warm relative to an empty page,
the PPTX pack, and `python -m analysis summary PATH --json` as a whole process.
Results and the targets they are held to: benchmarks/RESULTS.md.
"""
