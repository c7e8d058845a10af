#!/usr/bin/env python3
"""Checks the committed FFM bindings against a set of HIP, hiprtc, comgr or hipBLAS headers.

    jextract/check-abi.py [--target hip|comgr|hipblas] [--exports FILE]... [--with DIR]... HEADERS [HEADERS...]

HEADERS is a folder (searched recursively for *.h, *.hpp, *.h.in and *.cpp, NVIDIA-only folders
left out) or one file; in a .cpp file function definitions count as prototypes (a library's own
sources, compiled against its header, where the header itself is not at hand). For every function in jextract/TARGET/includes.txt it finds the C prototype in
the headers, reduces each parameter and the return type to its calling-convention class (i32, i64,
f32, f64, ptr, void, or struct by value) after resolving the headers' typedefs, and compares that
with the FunctionDescriptor of the committed generated class (hip-ffm/.../panama/TARGET). It also
compares every bound constant with the value the bindings carry, the flag macros hip-ffm writes as
numbers, and the size of the structs hip-ffm allocates itself (hipUUID); and it reports every
`#define` that renames a function (versioned symbols such as hipGetDevicePropertiesR0600), saying
whether it is active for the bindings (C, __HIP_PLATFORM_AMD__, no per-thread default stream).
--exports names a linker version script (libamdhip64's hip_hcc.map.in) or `nm -D` output: each
bound function must appear in one of them. --with adds headers that are read but not the subject (the
HIP headers of the same release, for hipblas.h).

One line per item: OK, NOTE (differs in spelling only, or a rename the bindings never see),
WARN (could not be decided from the text: a rename under a condition whose value is unknown) or
FAIL; a summary line per HEADERS argument. Exit status 1 when anything FAILs, 2 on bad usage.
Plain text parsing with a small conditional evaluator, no compiler: enough for these C headers.
See docs/portability.md for what it was run on.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PANAMA = os.path.join(ROOT, 'hip-ffm', 'src', 'main', 'java', 'dev', 'xsched', 'hip', 'internal', 'panama')

TARGETS = {
    'hip': {
        'java': os.path.join(PANAMA, 'hip', 'HipBindings.java'),
        # Passed as numbers by hip-ffm (AmdDevice): name -> value the code passes.
        'flags': {'hipStreamNonBlocking': 0x1, 'hipEventBlockingSync': 0x1, 'hipEventDisableTiming': 0x2},
        # Structs hip-ffm allocates itself: name -> bytes it allocates (AbstractNativeDevice.uuid).
        'structs': {'hipUUID': 16},
    },
    'comgr': {'java': os.path.join(PANAMA, 'comgr', 'ComgrBindings.java'), 'flags': {}, 'structs': {}},
    'hipblas': {'java': os.path.join(PANAMA, 'hipblas', 'HipblasBindings.java'), 'flags': {}, 'structs': {}},
}

# The configuration jextract parses the headers in (regenerate.sh): C, not C++, on the AMD platform.
# Conditions are evaluated in file order as the C preprocessor would (an identifier never defined is 0),
# except names from generated headers that a source checkout lacks: those leave a branch undecided.
DEFINED = {'__HIP_PLATFORM_AMD__': '1', '__HIP_PLATFORM_HCC__': '1', '__linux__': '1', '__x86_64__': '1',
           '__clang__': '1', '__GNUC__': '4', '__STDC__': '1'}
GENERATED = re.compile(r'HIP_VERSION\w*|__HIP_HAS_GET_PCH|HIPBLAS_VERSION\w*|hipblasVersion\w*')

# LP64 classes of the C types the bound prototypes are built from.
BUILTIN = {
    'void': 'void', 'char': 'i8', 'signed char': 'i8', 'unsigned char': 'i8', 'bool': 'i8', '_Bool': 'i8',
    'short': 'i16', 'unsigned short': 'i16', 'int': 'i32', 'unsigned': 'i32', 'unsigned int': 'i32', 'signed': 'i32',
    'long': 'i64', 'unsigned long': 'i64', 'long long': 'i64', 'unsigned long long': 'i64', 'float': 'f32', 'double': 'f64',
    'size_t': 'i64', 'ssize_t': 'i64', 'int8_t': 'i8', 'uint8_t': 'i8', 'int16_t': 'i16', 'uint16_t': 'i16',
    'int32_t': 'i32', 'uint32_t': 'i32', 'int64_t': 'i64', 'uint64_t': 'i64', 'uintptr_t': 'i64', 'intptr_t': 'i64',
}
SIZES = {'i8': 1, 'i16': 2, 'i32': 4, 'i64': 8, 'f32': 4, 'f64': 8, 'ptr': 8}
# Types defined outside the headers given (hipblas.h's HIP types without --with; hiprtc's where only
# its sources are at hand): used only when unresolved, and reported.
EXTERNAL = {'hipStream_t': 'ptr', 'hipDataType': 'i32', 'hiprtcResult': 'i32', 'hiprtcProgram': 'ptr'}
LAYOUTS = {'C_INT': 'i32', 'C_LONG': 'i64', 'C_LONG_LONG': 'i64', 'C_POINTER': 'ptr', 'C_FLOAT': 'f32',
           'C_DOUBLE': 'f64', 'C_CHAR': 'i8', 'C_SHORT': 'i16', 'C_BOOL': 'i8'}
QUALIFIERS = {'const', 'volatile', 'struct', 'enum', 'union', 'restrict', '__restrict', '__restrict__', 'extern'}


# ---------------------------------------------------------------- the bindings

def read_bindings(target):
    """Functions (symbol -> (return class, [param classes], C prototype)) and constants of the generated class."""
    text = open(TARGETS[target]['java']).read()
    functions = {}
    for m in re.finditer(r'private static class (\w+) \{\s*public static final FunctionDescriptor DESC = '
                         r'FunctionDescriptor\.(of|ofVoid)\((.*?)\);\s*public static final MemorySegment ADDR = '
                         r'SYMBOL_LOOKUP\.findOrThrow\("(\w+)"\)', text, flags=re.S):
        layouts = [LAYOUTS.get(l, l) for l in re.findall(r'\w+Bindings\.(\w+)', m.group(3))]
        ret, params = ('void', layouts) if m.group(2) == 'ofVoid' else (layouts[0], layouts[1:])
        snippet = re.search(r'\* ([^\n]*\b' + m.group(4) + r'\([^\n]*\))\n', text[m.end():])
        functions[m.group(4)] = (ret, params, snippet.group(1).strip() if snippet else '?')
    constants = {m.group(1): int(m.group(2)) for m in
                 re.finditer(r'private static final (?:int|long) (\w+) = \((?:int|long)\)(-?\d+)L;', text)}
    return functions, constants


def included(target):
    text = open(os.path.join(HERE, target, 'includes.txt')).read()
    return re.findall(r'--include-function (\w+)', text), re.findall(r'--include-constant (\w+)', text)


# ---------------------------------------------------------------- the headers

def header_files(path):
    if os.path.isfile(path):
        return [path]
    found, seen = [], set()
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if 'nvidia' not in d and 'nvcc' not in d)
        for name in sorted(files):
            full = os.path.join(folder, name)
            if name.endswith(('.h', '.hpp', '.h.in', '.cpp')) and os.path.realpath(full) not in seen:
                seen.add(os.path.realpath(full))
                found.append(full)
    # hip_runtime_api.h first: its includes come before its own declarations.
    return sorted(found, key=lambda f: (not f.endswith('hip_common.h'), not f.endswith('hip_runtime_api.h'), f))


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return re.sub(r'\\\n', ' ', text)


class Condition:
    """Three-valued #if evaluation: True, False or None (depends on something the text does not decide)."""

    def __init__(self, defines, maybe):
        self.defines = defines
        self.maybe = maybe

    def evaluate(self, expression):
        tokens = re.findall(r'defined|\d+[uUlL]*|\w+|&&|\|\||==|!=|>=|<=|[!()<>+\-*]', expression)
        self.tokens, self.pos = tokens, 0
        try:
            value = self.disjunction()
            return None if self.pos != len(tokens) else value
        except (IndexError, ValueError):
            return None

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        self.pos += 1
        return self.tokens[self.pos - 1]

    def disjunction(self):
        value = self.conjunction()
        while self.peek() == '||':
            self.take()
            right = self.conjunction()
            value = True if value is True or right is True else (None if value is None or right is None else False)
        return value

    def conjunction(self):
        value = self.comparison()
        while self.peek() == '&&':
            self.take()
            right = self.comparison()
            value = False if value is False or right is False else (None if value is None or right is None else True)
        return value

    def comparison(self):
        left = self.unary()
        while self.peek() in ('==', '!=', '>=', '<=', '>', '<'):
            op, right = self.take(), self.unary()
            if left is None or right is None:
                left = None
            else:
                left = {'==': left == right, '!=': left != right, '>=': left >= right, '<=': left <= right,
                        '>': left > right, '<': left < right}[op]
        return left

    def unary(self):
        token = self.take()
        if token == '!':
            value = self.unary()
            return None if value is None else not value
        if token == '(':
            value = self.disjunction()
            if self.take() != ')':
                raise ValueError
            return value
        if token == 'defined':
            name = self.take()
            if name == '(':
                name = self.take()
                self.take()
            if name in self.defines:
                return True
            return None if name in self.maybe or GENERATED.fullmatch(name) else False
        if re.match(r'\d', token):
            return int(re.sub(r'[uUlL]+$', '', token))
        body = self.defines.get(token)
        if body is not None:
            return int(re.sub(r'[^\d]', '', body)) if re.fullmatch(r'\s*\(?\s*\d+[uUlL]*\s*\)?\s*', body) else None
        return None if token in self.maybe or GENERATED.fullmatch(token) else 0


def scan(files):
    """The text outside inactive #if branches (with the state of each line), and every #define."""
    defines, maybe = dict(DEFINED), set()
    renames = []          # (name, value, state, condition, file)
    macro_functions = {}  # name -> (params, body) of active function-like macros
    object_macros = {}    # name -> (value, state)
    kept = []             # (line, state) of code lines
    for path in files:
        stack = []  # (state of the branch, condition text, any earlier branch taken)
        for line in strip_comments(open(path, errors='replace').read()).split('\n'):
            d = re.match(r'\s*#\s*(\w+)\s*(.*)', line)
            state = True
            for s, _, _ in stack:
                state = False if s is False or state is False else (None if s is None or state is None else True)
            if not d:
                if state is not False:
                    kept.append((line, state, path))
                continue
            directive, rest = d.group(1), d.group(2).strip()
            if directive in ('if', 'ifdef', 'ifndef'):
                expression = {'ifdef': 'defined(' + rest + ')', 'ifndef': '!defined(' + rest + ')'}.get(directive, rest)
                value = Condition(defines, maybe).evaluate(expression)
                stack.append((value, expression, value))
            elif directive == 'elif' and stack:
                _, expression, taken = stack.pop()
                value = Condition(defines, maybe).evaluate(rest)
                now = False if taken is True else (None if taken is None or value is None else value)
                stack.append((now, rest, True if taken is True or value is True else (None if taken is None or value is None else False)))
            elif directive == 'else' and stack:
                _, expression, taken = stack.pop()
                stack.append((None if taken is None else not taken, '!(' + expression + ')', True))
            elif directive == 'endif' and stack:
                stack.pop()
            elif directive == 'define':
                m = re.match(r'(\w+)(\(([^)]*)\))?\s*(.*)', rest)
                if not m:
                    continue
                name, params, body = m.group(1), m.group(3), m.group(4).strip()
                conditions = ' && '.join(c for _, c, _ in stack if not re.match(r'!defined\(\w+_H\w*\)$', c)) or 'always'
                if state is False:
                    # Kept to be reported: a rename the bindings never see (per-thread default stream).
                    renames.append((name, body, state, conditions, path))
                    continue
                if params is not None:
                    if state is True:
                        macro_functions[name] = ([p.strip() for p in params.split(',')], body)
                    continue
                if state is True:
                    defines[name] = body
                else:
                    maybe.add(name)
                object_macros.setdefault(name, (body, state))
                renames.append((name, body, state, conditions, path))
            elif directive == 'undef' and state is not False:
                defines.pop(rest.split()[0], None)
                if state is None:
                    maybe.add(rest.split()[0])
    return kept, renames, macro_functions, object_macros


def expand(value, macro_functions):
    """A rename's target with active function-like macros applied (__HIP_API_SPT(hipMemcpy) -> hipMemcpy)."""
    for _ in range(5):
        m = re.fullmatch(r'(\w+)\s*\((.*)\)', value.strip())
        if not m or m.group(1) not in macro_functions:
            break
        params, body = macro_functions[m.group(1)]
        args = [a.strip() for a in m.group(2).split(',')]
        for p, a in zip(params, args):
            body = re.sub(r'\b' + re.escape(p) + r'\b', a, body)
        value = re.sub(r'\s*##\s*', '', body)
    return value.strip()


def strip_attributes(text):
    """Removes __attribute__((...)), __declspec(...) and ALL_CAPS(...) macro calls (deprecation notices)."""
    out, i = [], 0
    pattern = re.compile(r'__attribute__\s*\(|__declspec\s*\(|\b[A-Z][A-Z0-9_]*\s*\(')
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            return ''.join(out)
        out.append(text[i:m.start()])
        depth, j = 0, m.end() - 1
        while j < len(text):
            depth += {'(': 1, ')': -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        i = j


def collect_types(code):
    """typedef name -> C type text, or 'enum:i32' / 'struct:NAME{body}' / 'ptr'."""
    types = {}
    for m in re.finditer(r'\btypedef\s+enum\s*(?:[A-Z_][A-Z0-9_]*\s+)*(\w*)\s*(?::\s*([\w ]+?))?\s*\{[^{}]*\}\s*(\w+)\s*;', code):
        kind = 'enum:' + (classify_builtin(m.group(2)) if m.group(2) else 'i32')
        types[m.group(3)] = kind
        if m.group(1):
            types[m.group(1)] = kind
    for m in re.finditer(r'(?<!typedef )\benum\s+(?:[A-Z_][A-Z0-9_]*\s+)*(\w+)\s*(?::\s*([\w ]+?))?\s*\{', code):
        types.setdefault(m.group(1), 'enum:' + (classify_builtin(m.group(2)) if m.group(2) else 'i32'))
    for m in re.finditer(r'\btypedef\s+(struct|union)\s*(\w*)\s*\{([^{}]*)\}\s*(\w+)\s*;', code):
        types[m.group(4)] = 'struct:' + m.group(4) + '{' + m.group(3) + '}'
        if m.group(2):
            types.setdefault(m.group(2), types[m.group(4)])
    for m in re.finditer(r'\b(struct|union)\s+(\w+)\s*\{([^{}]*)\}\s*;', code):
        types.setdefault(m.group(2), 'struct:' + m.group(2) + '{' + m.group(3) + '}')
    for m in re.finditer(r'\btypedef\s+([^;{}()]+?)\s*(\**)\s*(\w+)\s*;', code):
        types.setdefault(m.group(3), 'ptr' if m.group(2) else m.group(1).strip())
    return types


def classify_builtin(text):
    words = [w for w in text.split() if w not in QUALIFIERS]
    return BUILTIN.get(' '.join(words), None)


def classify(ctype, types, notes):
    """The calling-convention class of a C type: i8 .. i64, f32, f64, ptr, void, or struct:NAME."""
    text = re.sub(r'\[[^\]]*\]', '*', ctype)
    if '*' in text:
        return 'ptr'
    words = [w for w in text.split() if w not in QUALIFIERS]
    seen = set()
    while True:
        name = ' '.join(words)
        if name in BUILTIN:
            return BUILTIN[name]
        if len(words) == 1 and words[0] in types and words[0] not in seen:
            seen.add(words[0])
            resolved = types[words[0]]
            if resolved == 'ptr':
                return 'ptr'
            if resolved.startswith('enum:'):
                return resolved[5:] or 'i32'
            if resolved.startswith('struct:'):
                return 'struct:' + words[0]
            if '*' in resolved:
                return 'ptr'
            words = [w for w in resolved.split() if w not in QUALIFIERS]
            continue
        if len(words) == 1 and words[0] in EXTERNAL:
            notes.append(words[0] + ' taken as ' + EXTERNAL[words[0]] + ' (defined outside these headers)')
            return EXTERNAL[words[0]]
        return 'unknown:' + name


def split_params(text):
    params, depth, current = [], 0, ''
    for c in text:
        depth += {'(': 1, ')': -1}.get(c, 0)
        if c == ',' and depth == 0:
            params.append(current)
            current = ''
        else:
            current += c
    params.append(current)
    return [p.strip() for p in params if p.strip()]


def param_type(param):
    """The type of one parameter, its name dropped ('const char* const* options' -> 'const char* const*')."""
    param = re.sub(r'\s*=.*$', '', re.sub(r'__dparm\([^)]*\)', '', param)).strip()
    param = re.sub(r'\s*\*\s*', '*', param)
    m = re.match(r'(.*?[\w*\]])\s*\b(\w+)\s*((?:\[[^\]]*\])*)$', param)
    if m and (m.group(1).endswith('*') or ' ' in m.group(1).strip() or m.group(1).strip() not in QUALIFIERS) \
            and m.group(2) not in BUILTIN and m.group(2) not in ('int', 'long', 'char', 'short', 'unsigned', 'signed', 'void'):
        param = m.group(1) + ('*' if m.group(3) else '')
    return re.sub(r'\s+', ' ', param.replace('*', '* ')).replace('* *', '**').strip()


def spelling(ctype):
    """A C type written one way: 'unsigned' is 'unsigned int', no spaces."""
    return re.sub(r'\bunsigned\b(?!\s+(int|char|short|long))', 'unsigned int', ctype).replace(' ', '')


def prototypes(code_lines, name):
    """Every declaration of `name` (return type, parameter types, state of its #if branch)."""
    found = []
    for text, state, path in code_lines:
        for m in re.finditer(r'\b' + name + r'\s*\(', text):
            start = max(text.rfind(';', 0, m.start()), text.rfind('}', 0, m.start()), text.rfind('{', 0, m.start()))
            prefix = text[start + 1:m.start()]
            depth, j = 1, m.end()
            while j < len(text) and depth:
                depth += {'(': 1, ')': -1}.get(text[j], 0)
                j += 1
            # Trailing ALL_CAPS macros are attributes too (comgr's AMD_COMGR_VERSION_2_0).
            tail = re.sub(r'^(\s*\b[A-Z][A-Z0-9_]*\b)*', '', strip_attributes(text[j:j + 300])).lstrip()
            definition = path.endswith(('.cpp', '.cc')) and tail.startswith('{')
            if depth or not (tail.startswith(';') or definition):
                continue
            prefix = strip_attributes(prefix)
            words = [w for w in re.findall(r'[\w*]+', prefix.replace('*', ' * '))
                     if w not in ('extern', '"C"', 'C') and not re.fullmatch(r'[A-Z][A-Z0-9_]*|__\w+', w)]
            if not words or any(w in ('static', 'inline', 'template', 'return', 'typedef', 'define') for w in words):
                continue
            ret = re.sub(r'\s*\*', '*', ' '.join(words))
            params = [param_type(p) for p in split_params(text[m.end():j - 1])]
            found.append((ret, [] if params == ['void'] else params, state, path))
    return found


def flat_code(kept):
    """Statements joined onto one line each, so that a prototype split over lines reads as one."""
    joined, buffer, state_of, path_of = [], '', True, None
    for line, state, path in kept:
        if path != path_of and buffer:
            joined.append((buffer, state_of, path_of))
            buffer = ''
        path_of = path
        if not buffer:
            state_of = state
        elif state is None:
            state_of = None
        buffer += ' ' + line.strip()
        if re.search(r'[;{}]\s*$', line):
            joined.append((buffer, state_of, path))
            buffer = ''
    if buffer:
        joined.append((buffer, state_of, path_of))
    return joined


def struct_size(body, types):
    size, align = 0, 1
    for field in [f.strip() for f in body.split(';') if f.strip()]:
        m = re.match(r'(.+?)\s*\b(\w+)\s*((?:\[\s*\d+\s*\])*)$', field)
        if not m:
            return None
        cls = classify(m.group(1), types, [])
        if cls not in SIZES:
            return None
        count = 1
        for n in re.findall(r'\d+', m.group(3)):
            count *= int(n)
        size = (size + SIZES[cls] - 1) // SIZES[cls] * SIZES[cls] + SIZES[cls] * count
        align = max(align, SIZES[cls])
    return (size + align - 1) // align * align


def enum_values(code):
    values = {}
    for m in re.finditer(r'\benum\b[^{;]*\{([^{}]*)\}', code):
        current = -1
        for item in m.group(1).split(','):
            named = re.match(r'\s*(\w+)\s*(?:=\s*(.+))?$', item.strip(), flags=re.S)
            if not named:
                continue
            name, expression = named.groups()
            if expression is None:
                current = None if current is None else current + 1
            else:
                resolved = re.sub(r'\b[A-Za-z_]\w*\b', lambda t: str(values.get(t.group(0), t.group(0))), expression)
                try:
                    current = int(eval(re.sub(r'(\d)[uUlL]+\b', r'\1', resolved), {'__builtins__': {}}))
                except Exception:
                    current = None
            values.setdefault(name, current)
    return values


def macro_value(body, defines):
    for _ in range(5):
        if body in defines:
            body = defines[body][0]
    try:
        return int(eval(re.sub(r'(\d)[uUlL]+\b', r'\1', body), {'__builtins__': {}}))
    except Exception:
        return None


# ---------------------------------------------------------------- the check

class Report:
    """Prints one line per item and counts them by level."""

    def __init__(self):
        self.counts = {'OK': 0, 'NOTE': 0, 'WARN': 0, 'FAIL': 0}

    def __call__(self, level, what, message):
        self.counts[level] += 1
        print('%-8s %s: %s' % (level, what, message))


class Headers:
    """One header set, read once: its code, typedefs, enum values and #defines."""

    def __init__(self, path, extra):
        self.path = path
        self.files = header_files(path)
        self.subject = set(self.files)
        for folder in extra:
            self.files += [f for f in header_files(folder) if f not in self.files]
        kept, self.renames, self.macro_functions, self.object_macros = scan(self.files)
        self.code = flat_code(kept)
        whole = '\n'.join(text for text, _, _ in self.code)
        self.types = collect_types(whole)
        self.enums = enum_values(whole)

    def value(self, name):
        """An enum value or a numeric #define, or None."""
        value = self.enums.get(name)
        if value is None and name in self.object_macros:
            value = macro_value(self.object_macros[name][0], self.object_macros)
        return value


def check_renames(report, headers, name):
    """A #define of a bound function: fails when active for the bindings (they look up the old name)."""
    for rename, value, state, condition, _ in headers.renames:
        if rename != name:
            continue
        what = 'function ' + name
        if state is False:
            report('NOTE', what, '#define %s %s only under "%s", false for the bindings' % (name, value, condition))
            continue
        target_symbol = expand(value, headers.macro_functions)
        if target_symbol == name:
            continue
        if state is True:
            report('FAIL', what, '#define %s %s (%s, active): a C program calls %s, the bindings look up %s'
                   % (name, value, condition, target_symbol, name))
        else:
            report('WARN', what, '#define %s %s under "%s" (not decided here)' % (name, value, condition))


def check_prototype(report, headers, name, bound, externals):
    """The header's prototype of a bound function, reduced to classes, against the generated descriptor."""
    what = 'function ' + name
    b_ret, b_params, b_proto = bound
    binding = b_ret + '(' + ', '.join(b_params) + ')'
    decls = prototypes(headers.code, name)
    active = [d for d in decls if d[2] is True] or decls
    if not active:
        report('FAIL', what, 'no prototype in ' + headers.path)
        return
    notes, abis = [], set()
    for ret, params, _, _ in active:
        abis.add(classify(ret, headers.types, notes) + '(' + ', '.join(classify(p, headers.types, notes) for p in params) + ')')
    externals.update(notes)
    ret, params = active[0][0], active[0][1]
    c_proto = ret + ' ' + name + '(' + ', '.join(params) + ')'
    if len(abis) > 1:
        report('FAIL', what, 'declared differently: ' + '; '.join(sorted(abis)))
        return
    if abis != {binding}:
        report('FAIL', what, 'header %s is %s, the bindings call %s' % (c_proto, abis.pop(), binding))
        return
    b_types = [param_type(p) for p in split_params(b_proto[b_proto.find('(') + 1:b_proto.rfind(')')])]
    b_types = [] if b_types == ['void'] else b_types
    message = '%s -> %s' % (c_proto, binding)
    if [spelling(p) for p in params] != [spelling(p) for p in b_types]:
        report('NOTE', what, message + '; the bindings were generated from ' + b_proto + ' (same classes)')
    else:
        report('OK', what, message)


def check_values(report, headers, target, constants, bound_constants):
    """Bound constants, the flags hip-ffm writes as numbers, and the structs it sizes itself."""
    for name in constants:
        value = headers.value(name)
        if value is None:
            report('FAIL', 'constant ' + name, 'not found in ' + headers.path)
        elif value != bound_constants.get(name):
            report('FAIL', 'constant ' + name, 'header %d, bindings %s' % (value, bound_constants.get(name)))
        else:
            report('OK', 'constant ' + name, str(value))
    for name, passed in TARGETS[target]['flags'].items():
        value = headers.value(name)
        if value != passed:
            report('FAIL', 'flag ' + name, 'header %s, hip-ffm passes %d' % (value, passed))
        else:
            report('OK', 'flag ' + name, hex(value))
    for name, allocated in TARGETS[target]['structs'].items():
        kind = headers.types.get(name, '')
        size = struct_size(kind[kind.find('{') + 1:-1], headers.types) if kind.startswith('struct:') else None
        if size != allocated:
            report('FAIL', 'struct ' + name, 'size %s in the headers, hip-ffm allocates %d bytes' % (size, allocated))
        else:
            report('OK', 'struct ' + name, '%d bytes, as hip-ffm allocates' % size)


def report_versioned_symbols(report, headers, functions):
    """Renames of functions that are not bound (hipGetDeviceProperties -> ...R0600): what a C program calls."""
    for name, value, state, condition, where in headers.renames:
        if state is False or where not in headers.subject or name in functions:
            continue
        if re.fullmatch(r'(hip|hiprtc|amd_comgr|hipblas)\w*', name) \
                and re.fullmatch(re.escape(name) + r'\w+', expand(value, headers.macro_functions)):
            status = 'active' if state is True else 'undecided'
            report('NOTE', 'rename ' + name, '#define %s %s (%s; %s; not bound)' % (name, value, condition, status))


def check(target, path, exports, extra):
    functions, constants = included(target)
    bound, bound_constants = read_bindings(target)
    headers = Headers(path, extra)
    report = Report()
    if not headers.files:
        report('FAIL', path, 'no header files')
        return 1
    export_text = ''.join(open(f, errors='replace').read() for f in exports)
    externals = set()
    for name in functions:
        if name not in bound:
            report('FAIL', 'function ' + name, 'listed in includes.txt but not in the generated bindings (regenerate)')
            continue
        check_renames(report, headers, name)
        check_prototype(report, headers, name, bound[name], externals)
        if exports:
            if re.search(r'(?<![\w])' + name + r'(?![\w])', export_text):
                report('OK', 'function ' + name, 'exported (' + ', '.join(os.path.basename(e) for e in exports) + ')')
            else:
                report('FAIL', 'function ' + name, 'not exported by ' + ', '.join(exports))
    for note in sorted(externals):
        report('NOTE', 'type', note)
    check_values(report, headers, target, constants, bound_constants)
    report_versioned_symbols(report, headers, functions)
    counts = report.counts
    print('SUMMARY  %s %s: %d OK, %d NOTE, %d WARN, %d FAIL' % (target, path, counts['OK'], counts['NOTE'],
                                                                counts['WARN'], counts['FAIL']))
    return 1 if counts['FAIL'] else 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--target', choices=sorted(TARGETS), default='hip')
    parser.add_argument('--exports', action='append', default=[], help='version script or nm -D output (repeatable)')
    parser.add_argument('--with', dest='extra', action='append', default=[],
                        help='more headers read alongside, not checked themselves (the HIP headers hipblas.h includes)')
    parser.add_argument('headers', nargs='+')
    args = parser.parse_args(argv)
    status = 0
    for path in args.headers:
        if not os.path.exists(path):
            print('no such file or folder: ' + path, file=sys.stderr)
            return 2
        status |= check(args.target, path, args.exports, args.extra)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
