"""``deltanet complex``: the tutorial task (complex-valued backprop) in numbers."""

from deltanet.cli import add_part_options, run_part


def register(subparsers):
    p = subparsers.add_parser(
        "complex", help="complex-valued networks: gradient check, a complex task, MNIST",
        description="The sheet's tutorial task: backpropagation with Wirtinger derivatives "
                    "for networks with complex weights and the holomorphic sigmoid. Prints "
                    "(1) the gradient check against finite differences (Re and Im parts), "
                    "(2) a complex network vs a real one with the same number of real "
                    "parameters on a holomorphic fitting task, (3) MNIST with complex "
                    "weights vs the real network, with the distances to the sigmoid's "
                    "poles. Writes OUT/complex/results.json and figures (PNG, SVG).")
    add_part_options(p, "complex")
    p.set_defaults(func=run)


def run(args):
    from deltanet.experiments.complex_task import side_part
    # a Ctrl-C comes with what results.json then holds (cli.main prints it, exit 130)
    return run_part(args, side_part(), lambda: dict(progress=not args.quiet))
