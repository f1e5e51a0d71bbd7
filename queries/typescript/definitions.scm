; Names TypeScript and TSX code defines, for the vocabulary rules (queries/vocabulary.toml):
; javascript/definitions.scm with TypeScript's node types (class names are type identifiers,
; class fields are `public_field_definition`), plus abstract classes and methods.
; `@definition` is the name; calls, imports, strings and comments are never captured.

; function mfcc() {}, function* frames() {}
(function_declaration name: (identifier) @definition)
(generator_function_declaration name: (identifier) @definition)

; class Spectrogram {}
(class_declaration name: (type_identifier) @definition)
(abstract_class_declaration name: (type_identifier) @definition)

; abstract spectrogram(): Float32Array;
(abstract_method_signature
  name: [(property_identifier) (private_property_identifier)] @definition)

; class X { groupby() {} #pivot() {} }
(method_definition
  name: [(property_identifier) (private_property_identifier)] @definition)

; class X { rollup = () => {} }
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @definition
  value: [(arrow_function) (function_expression) (class)])

; const chroma = (frame) => ..., const Pivot = class {}
(variable_declarator
  name: (identifier) @definition
  value: [(arrow_function) (function_expression) (class)])

; export const MEL_BANDS = 128
(export_statement
  declaration: [(lexical_declaration (variable_declarator name: (identifier) @definition))
                (variable_declaration (variable_declarator name: (identifier) @definition))])

; export { mfcc, chroma as chromagram }
(export_specifier name: (identifier) @definition !alias)
(export_specifier alias: (identifier) @definition)

; exports.mfcc = function () {}, Table.prototype.groupby = (...keys) => {}
(assignment_expression
  left: (member_expression property: (property_identifier) @definition)
  right: [(arrow_function) (function_expression) (class)])

; { resize: function () {}, blur: (x) => x }
(pair
  key: (property_identifier) @definition
  value: [(arrow_function) (function_expression)])
