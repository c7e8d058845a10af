#!/usr/bin/env python3
"""Summaries of round 14's JFR recordings of `xsched bench launch` (run from this folder):
  jfr print --json --events jdk.NativeMethodSample,jdk.ExecutionSample --stack-depth 20 launch-profile.jfr > /tmp/prof.json
  jfr print --json --events jdk.ThreadPark --stack-depth 10 launch-parks.jfr > /tmp/parks.json
  python3 summarize_jfr.py /tmp/prof.json /tmp/parks.json
Prints, per second of the profile, which thread was in which CUDA call (the phases of the run can
be told apart by it), the stacks of the two XQueue back-to-back phases, and the parks by stack."""
import collections, json, sys
from datetime import datetime

def frames(v, skip=('0x', 'LambdaForm', 'DowncallStub', 'Invokers')):
    fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}" for f in fr]
    return [n for n in names if not n.startswith(skip)]

def at(v):
    return datetime.fromisoformat(v['startTime'].replace('Z', '+00:00')).timestamp()

prof = json.load(open(sys.argv[1]))['recording']['events']
t0 = min(at(e['values']) for e in prof)
per_second = collections.defaultdict(collections.Counter)
phases = collections.Counter()
for e in prof:
    v = e['values']; thread = v['sampledThread']['javaName'][:12]; names = frames(v)
    cuda = next((n[len('CudaBindings.'):] for n in names if n.startswith('CudaBindings.')), 'java')
    s = at(v) - t0
    per_second[int(s)][(thread, cuda)] += 1
    # The phases, from the per-second table: 32-50 s the XQueue's empty launches, 76-103 s its 5 us ones.
    phase = 'xqueue empty' if 32 <= s < 51 else 'xqueue 5 us' if s >= 76 else None
    if phase:
        phases[(phase, thread, ' < '.join(names[:9]))] += 1
print('== samples per second of the profile: (thread, CUDA call or java): count')
for s in sorted(per_second):
    print(s, dict(per_second[s].most_common(6)))
print('\n== the XQueue back-to-back phases: samples by stack')
for k, n in phases.most_common(20):
    print(n, k)

parks = json.load(open(sys.argv[2]))['recording']['events']
count, total = collections.Counter(), collections.Counter()
for e in parks:
    v = e['values']
    names = frames(v, ('LockSupport', 'AbstractQueuedSync', 'ReentrantLock', 'Unsafe'))
    k = (v['eventThread']['javaName'][:12], ' < '.join(names[:5]))
    count[k] += 1
    d = v['duration']
    total[k] += float(d[2:-1]) if d.startswith('PT') and d.endswith('S') else 0
print(f'\n== parks in launch-parks.jfr: {len(parks)}; count, total ms, (thread, stack)')
for k, n in count.most_common(14):
    print(n, round(total[k] * 1e3, 1), k)
