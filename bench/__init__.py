"""`make bench`: the performance figures of workbench, measured and compared with their targets.

Run as `python -m bench`. Each figure lives in its own module (`startup`, `keypress`, `loading`,
`smaa`, `rescore`); `generate` writes the synthetic profiles they measure on. Only the project's own
dependencies and the standard library are used.
"""
