; pipeline(a, b, c)
(call_expression
  function: (identifier) @_fn
  (#eq? @_fn "pipeline")) @match

; stream.pipeline(...), stream.promises.pipeline(...); not redis.pipeline(), which batches commands
(call_expression
  function: (member_expression
    object: [(identifier) @_stream
             (member_expression object: (identifier) @_stream)]
    property: (property_identifier) @_fn)
  (#any-of? @_stream "stream" "Stream")
  (#eq? @_fn "pipeline")) @match

; source.pipe(dest)
(call_expression
  function: (member_expression
    property: (property_identifier) @_fn)
  (#eq? @_fn "pipe")) @match

; new Transform({...}), new ReadableStream({...})
(new_expression
  constructor: [(identifier) @_class
                (member_expression property: (property_identifier) @_class)]
  (#any-of? @_class "Readable" "Writable" "Transform" "Duplex" "PassThrough" "ReadableStream" "WritableStream" "TransformStream")) @match

; fs.createReadStream(path)
(call_expression
  function: (member_expression
    object: (identifier) @_fs
    property: (property_identifier) @_fn)
  (#eq? @_fs "fs")
  (#any-of? @_fn "createReadStream" "createWriteStream")) @match

; class Upper extends Transform
(class_heritage
  [(identifier) @_base
   (member_expression property: (property_identifier) @_base)]
  (#any-of? @_base "Readable" "Writable" "Transform" "Duplex" "PassThrough")) @match
