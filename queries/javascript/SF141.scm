; mqtt.connect(url)
(call_expression
  function: (member_expression
    object: (identifier) @_mqtt
    property: (property_identifier) @_fn)
  (#eq? @_mqtt "mqtt")
  (#any-of? @_fn "connect" "connectAsync")) @match

; new SerialPort({...}), new Gpio(17, "out"), new five.Board()
(new_expression
  constructor: [(identifier) @_class
                (member_expression property: (property_identifier) @_class)]
  (#any-of? @_class "SerialPort" "Gpio" "Board" "ReadlineParser" "ModbusRTU")) @match
