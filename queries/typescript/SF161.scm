; Plain .ts files cannot contain JSX: no patterns (tsx/SF161.scm has them).
