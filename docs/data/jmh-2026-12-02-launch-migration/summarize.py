#!/usr/bin/env python3
"""One line per benchmark of each JMH JSON file named: score and error, and P50/P99 of a sample-time one."""
import json,sys
for f in sys.argv[1:]:
    print('==',f)
    for r in json.load(open(f)):
        b=r['benchmark'].split('.')[-1]; p=r['params']; m=r['primaryMetric']
        pct=m.get('scorePercentiles',{})
        extra=''
        if r['mode']=='sample':
            extra=f" p50 {pct.get('50.0'):.0f} p99 {pct.get('99.0'):.0f}"
        print(f"{b:12s} {p.get('target'):7s} cost={p.get('launchHostNanos'):5s} {m['score']:12.1f} ± {m['scoreError']:10.1f} {m['scoreUnit']}{extra}")
