# Seeded sample of the friction diagnostics of one run (collect.py output), reusing verdicts.
import json,csv,random,collections,sys
run=sys.argv[1]
rows=[tuple(r) for r in json.load(open(f'{run}.json'))['rows']]
rows.sort(key=lambda r:(r[0],r[1],r[2],r[3]))
random.seed(15)
by=collections.defaultdict(list)
for r in rows: by[r[1]].append(r)
pick=[]
for rule in sorted(by): pick+=random.sample(by[rule],min(8,len(by[rule])))
rest=[r for r in rows if r not in pick]
pick+=random.sample(rest,min(len(rest),60-len(pick)))
old={}
for row in csv.DictReader(open('sample.tsv'),delimiter='\t'):
    old[(row['repo'],row['rule'],row['location'])]=(row['verdict'],row['why'])
for l in open('judged15.tsv'):
    a=l.rstrip('\n').split('\t'); old[(a[0],a[1],a[2])]=(a[3],a[4])
per=collections.defaultdict(list); out=[]; need=[]
for i,r in enumerate(sorted(pick,key=lambda r:(r[1],r[0],r[2],r[3])),1):
    k=(r[0],r[1],f'{r[2]}:{r[3]}')
    v,w=old.get(k,('?',''))
    if v=='?': need.append(k)
    per[r[1]].append(v); out.append((i,)+k+(v,w))
sc=lambda v: sum(1 if x=='TP' else .5 if x=='D' else 0 for x in v)/len(v)
st=lambda v: sum(1 if x=='TP' else 0 for x in v)/len(v)
for r in sorted(per): print(f'| {r} | {len(by[r])} | {len(per[r])} | {per[r].count("TP")} | {per[r].count("D")} | {per[r].count("FP")} | {sc(per[r])*100:.1f} % | {st(per[r])*100:.1f} % |')
a=[x for v in per.values() for x in v]
print(f'| all | {len(rows)} | {len(a)} | {a.count("TP")} | {a.count("D")} | {a.count("FP")} | {sc(a)*100:.1f} % | {st(a)*100:.1f} % |')
w=sum(sc(per[r])*len(by[r]) for r in per)/len(rows); print('weighted',round(w*100,1))
print('need',need)
with open(f'sample15-{run}.tsv','w') as f:
    f.write('n\trepo\trule\tlocation\tverdict\twhy\n')
    for o in out: f.write('\t'.join(map(str,o))+'\n')
