import json,random,collections
rows=[tuple(r) for r in json.load(open('new.json'))['rows']]
rows.sort()
random.seed(14)
by=collections.defaultdict(list)
for r in rows: by[r[1]].append(r)
picked=[]
for rule in sorted(by):
    picked+=random.sample(by[rule],min(8,len(by[rule])))
rest=[r for r in rows if r not in picked]
picked+=random.sample(rest,max(0,60-len(picked)))
picked.sort(key=lambda r:(r[1],r[0],r[2],r[3]))
with open('sample_raw.tsv','w') as f:
    for i,r in enumerate(picked,1): f.write('\t'.join([str(i),r[0],r[1],f'{r[2]}:{r[3]}',r[4]])+'\n')
print(len(picked),collections.Counter(r[1] for r in picked))
