; faceapi.detectAllFaces(img), faceapi.computeFaceDescriptor(img)
(call_expression
  function: (member_expression
    object: (identifier) @_faceapi
    property: (property_identifier) @_fn)
  (#eq? @_faceapi "faceapi")
  (#match? @_fn "^(detect|compute|draw|extract)")) @match

; faceapi.nets.ssdMobilenetv1.loadFromUri("/models")
(member_expression
  object: (identifier) @_faceapi
  property: (property_identifier) @_nets
  (#eq? @_faceapi "faceapi")
  (#eq? @_nets "nets")) @match
