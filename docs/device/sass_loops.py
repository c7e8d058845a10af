#!/usr/bin/env python3
"""Counts, in each loop of a kernel's machine code, the instructions that tell register pressure.

Runs on the development machine, not the GPU host: its input is the text that
`nvdisasm -c CUBIN` prints (docs/tensor-cores.md, "Reading the kernels' machine code"). A loop is
a backward branch: its body runs from the branch's target label to the branch. For each loop of
each named kernel it prints the body's length in instructions and how many of them are
tensor-core multiplies (HMMA), reloads and saves of spilled registers (LDL, STL), shared-memory
loads (LDS), asynchronous copies (LDGSTS) and barriers (BAR).

    python3 docs/device/sass_loops.py KERNELS.sass conv2d_tf32_128x128_vector_yield ...
"""
import argparse
import re
import sys

COUNTED = ("HMMA", "LDL", "STL", "LDS", "LDGSTS", "BAR")
LABEL = re.compile(r"^(\.L_x_\d+):")
INSTRUCTION = re.compile(r"/\*[0-9a-f]{4,}\*/")
BRANCH = re.compile(r"\bBRA\s+`\((\.L_x_\d+)\)")


def kernel_lines(text, name):
    """The lines of kernel `name`'s section (.text.NAME) of an nvdisasm listing."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith(".text."):
            inside = line.strip() == f".text.{name}:"
            continue
        if inside:
            lines.append(line)
    return lines


def loops(lines):
    """(start, end, counts) for each backward branch: instruction indices and opcode counts."""
    labels, instructions = {}, []
    for line in lines:
        label = LABEL.match(line)
        if label:
            labels[label.group(1)] = len(instructions)
        elif INSTRUCTION.search(line):
            instructions.append(line)
    found = []
    for end, line in enumerate(instructions):
        branch = BRANCH.search(line)
        if branch and labels.get(branch.group(1), end + 1) <= end:
            start = labels[branch.group(1)]
            body = instructions[start:end + 1]
            counts = {op: sum(1 for i in body if re.search(r"\b" + op + r"(\.|\s)", i)) for op in COUNTED}
            found.append((start, end, counts))
    return len(instructions), found


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("listing", help="the output of nvdisasm -c")
    parser.add_argument("kernels", nargs="+", help="kernel names (extern \"C\" names)")
    args = parser.parse_args(argv)
    with open(args.listing, encoding="utf-8") as f:
        text = f.read()
    status = 0
    for name in args.kernels:
        lines = kernel_lines(text, name)
        if not lines:
            print(f"{name}: not in {args.listing}", file=sys.stderr)
            status = 1
            continue
        total, found = loops(lines)
        print(f"{name}: {total} instructions, {len(found)} loops")
        for start, end, counts in found:
            figures = " ".join(f"{op} {counts[op]}" for op in COUNTED)
            print(f"  loop [{start}, {end}], {end - start + 1} instructions: {figures}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
