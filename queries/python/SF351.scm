; face_recognition.face_locations(img), DeepFace.verify(a, b), librosa.load(path)
(call
  function: (attribute
    object: (identifier) @_module)
  (#any-of? @_module "face_recognition" "DeepFace" "librosa" "dlib" "mp_face_detection" "mp_face_mesh")) @match

; whisper.load_model("base")
(call
  function: (attribute
    object: (identifier) @_whisper
    attribute: (identifier) @_fn)
  (#eq? @_whisper "whisper")
  (#any-of? @_fn "load_model" "transcribe")) @match

; recognizer.recognize_google(audio)
(call
  function: (attribute
    attribute: (identifier) @_fn)
  (#match? @_fn "^recognize_")) @match
