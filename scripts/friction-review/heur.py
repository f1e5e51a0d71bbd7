import json,re,collections,sys
SEG={'test':{'test','tests','__tests__','spec','specs','testing','e2e','fixtures','__mocks__','test-utils','tootils'},
 'example':{'example','examples','demo','demos','sample','samples','sandbox','playground'},
 'build/script':{'scripts','script','bin','build','tools','tooling','ci','.github','benchmark','benchmarks','bench','dev'},
 'docs':{'docs','doc','website','_website','site'}}
FILE=[('test',re.compile(r'(^test_|_test\.|\.test\.|\.spec\.|^conftest\.py$|^testing\.py$)')),
      ('build/script',re.compile(r'^(setup\.py|gulpfile\..*|gruntfile\..*|(webpack|rollup|vite|esbuild)\.config\..*|build\.[jt]s|dev-server\.[jt]s)$',re.I))]
def cls(p):
    parts=p.lower().split('/')
    for c,s in SEG.items():
        if any(x in s for x in parts[:-1]): return c
    for c,r in FILE:
        if r.search(parts[-1]): return c
    return None
for sd in sys.argv[1:]:
    rows=json.load(open(f'{sd}.json'))['rows']
    c=collections.Counter(cls(r[2]) for r in rows)
    n=len(rows)
    print(sd,n,{k:(v,round(100*v/n,1)) for k,v in c.items()})
    if sd=='new':
        for r in rows:
            if cls(r[2]): print('  ',cls(r[2]),r[0],r[1],r[2],r[3])
    tf=[r for r in rows if r[0]=='tfjs-examples']
    print('  tfjs-examples rows',len(tf))
