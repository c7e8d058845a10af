#!/usr/bin/env python3
"""Compares what the HIP bindings use across sets of HIP headers (see docs/portability.md).

    jextract/hip/compare-headers.py DIR [DIR...]

Each DIR holds hip_runtime_api.h, driver_types.h and hiprtc.h of one HIP version (for example
/usr/include/hip, or `git show rocm-6.2.2:include/hip/<file>` of ROCm/HIP written to a folder).
For every function in jextract/hip/includes.txt it prints the prototype (parameter types only),
for every constant the value, and the flag macros hip-ffm passes as numbers (AmdDevice); a line
marked DIFFERS lists the value per folder. Exit status 1 when anything differs or is missing.
Plain text parsing, no compiler: enough for the flat enums and C prototypes these headers use.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDES = open(os.path.join(HERE, 'includes.txt')).read()
FUNCTIONS = re.findall(r'--include-function (\w+)', INCLUDES)
CONSTANTS = re.findall(r'--include-constant (\w+)', INCLUDES)
# Passed as numbers by hip-ffm (AmdDevice), so checked as well.
FLAG_MACROS = ['hipStreamNonBlocking', 'hipEventBlockingSync', 'hipEventDisableTiming']
FILES = ('hip_runtime_api.h', 'driver_types.h', 'hiprtc.h')


def strip_comments(text):
    return re.sub(r'//[^\n]*', ' ', re.sub(r'/\*.*?\*/', ' ', text, flags=re.S))


def enum_values(text):
    values = {}
    for m in re.finditer(r'enum\s+(?:__HIP_NODISCARD\s+)?\w*\s*\{(.*?)\}', text, flags=re.S):
        current = -1
        for item in m.group(1).split(','):
            item = item.strip()
            named = re.match(r'(\w+)\s*(?:=\s*(.+))?$', item, flags=re.S)
            if not named:
                continue
            name, expression = named.groups()
            if expression is None:
                current = current + 1 if isinstance(current, int) else None
            else:
                resolved = re.sub(r'\b[A-Za-z_]\w*\b', lambda t: str(values.get(t.group(0), t.group(0))), expression)
                try:
                    current = int(eval(resolved, {'__builtins__': {}}))
                except Exception:
                    current = None
            values.setdefault(name, current)
    return values


def macros(text):
    return {m.group(1): m.group(2).strip() for m in re.finditer(r'#define\s+(\w+)[ \t]+([^\n]+)', text)}


def prototype(flat, function):
    m = re.search(r'(hipError_t|hiprtcResult|const char ?\*) ?' + function + r' ?\(([^;{]*?)\) ?;', flat)
    if not m:
        return None
    params = re.sub(r'__dparm\([^)]*\)', '', m.group(2))
    types = []
    for param in params.split(','):
        param = re.sub(r'\s*=.*$', '', param).strip()
        if param != 'void':
            param = re.sub(r'\s*\b\w+\s*$', '', param) if re.search(r'[\w*]\s+\w+$', param) else param
        types.append(re.sub(r'\s*\*\s*', '*', param).strip())
    return m.group(1).replace(' ', '') + '(' + ', '.join(types) + ')'


def describe(folder):
    text = ''.join(strip_comments(open(os.path.join(folder, f), errors='replace').read()) + '\n'
                   for f in FILES if os.path.exists(os.path.join(folder, f)))
    enums, defines, flat = enum_values(text), macros(text), re.sub(r'\s+', ' ', text)
    result = {}
    for name in CONSTANTS:
        value = enums.get(name)
        result[name] = str(value) if value is not None else defines.get(name, 'MISSING')
    for name in FLAG_MACROS:
        result[name] = defines.get(name, 'MISSING')
    for name in FUNCTIONS:
        proto = prototype(flat, name)
        redirect = defines.get(name)
        result['function ' + name] = (proto or 'MISSING') + (' (#define ' + name + ' ' + redirect + ')' if redirect else '')
    return result


def main(folders):
    if not folders:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    described = [describe(folder) for folder in folders]
    status = 0
    for key in described[0]:
        seen = [d[key] for d in described]
        if len(set(seen)) == 1 and 'MISSING' not in seen[0] and '#define' not in seen[0]:
            print(key + ': ' + seen[0])
        else:
            status = 1
            print(key + ': DIFFERS')
            for folder, value in zip(folders, seen):
                print('    ' + folder + ': ' + value)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
