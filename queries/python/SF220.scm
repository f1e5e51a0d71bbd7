; Calls that may block, by their last name; the rule's `calls`/`free_calls` decide, after the
; callee is resolved through the file's imports, which of them really are the blocking APIs.
(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ] @_callee
  (#any-of? @_fn
    "sleep" "get" "post" "put" "patch" "delete" "head" "options" "request" "stream"
    "urlopen" "urlretrieve" "open"
    "run" "call" "check_call" "check_output" "getoutput" "getstatusoutput" "communicate" "wait" "system"
    "recv" "recv_into" "recvfrom" "accept" "connect" "sendall" "create_connection"
    "read" "readline" "readlines" "write" "writelines"
    "read_text" "read_bytes" "write_text" "write_bytes")) @match

; Synchronous database and ORM calls, and heavy image work (cv2, PIL), by their last name.
(call
  function: [
    (identifier) @_fn
    (attribute attribute: (identifier) @_fn)
  ] @_callee
  (#any-of? @_fn
    "execute" "executemany" "executescript" "fetchall" "fetchone" "fetchmany" "commit"
    "query" "scalars" "scalar" "begin"
    "select" "create" "get_or_none" "get_by_id" "get_or_create" "update_or_create" "bulk_create"
    "count" "exists" "first" "last" "latest" "earliest"
    "imread" "imwrite" "imdecode" "imencode" "resize" "GaussianBlur" "medianBlur" "bilateralFilter"
    "cvtColor" "Canny" "warpAffine" "warpPerspective" "findContours" "matchTemplate"
    "forward" "blobFromImage" "blobFromImages" "readNet" "readNetFromONNX" "readNetFromCaffe"
    "readNetFromTensorflow" "readNetFromDarknet"
    "filter" "convert" "save" "thumbnail" "rotate" "transform")) @match
