import json,glob,os,collections,sys
sd=sys.argv[1]
rows=[];outside={}
for f in sorted(glob.glob(f'out/{sd}/*.json')):
    n=os.path.basename(f)[:-5]
    try: d=json.load(open(f))
    except Exception as e: print('ERR',n,e); continue
    outside[n]=d.get('diagnostics_outside_product')
    for x in d['diagnostics']:
        if x['code'] in ('SF001','SF002'): continue
        rows.append((n,x['code'],x['path'],x['line'],x['message']))
json.dump({'rows':rows,'outside':outside},open(f'{sd}.json','w'))
print(len(rows))
print(collections.Counter(r[1] for r in rows).most_common())
print(collections.Counter(r[0] for r in rows).most_common())
