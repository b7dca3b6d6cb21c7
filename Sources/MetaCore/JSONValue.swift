/// A JSON value with ordered object keys, written by hand so output is byte-stable across platforms.
public indirect enum JSONValue: Sendable, Equatable {
  case string(String)
  case int(Int)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

  /// Compact when `indent` is nil, else pretty-printed with that many spaces per level.
  public func serialized(indent: Int? = 2) -> String {
    var out = ""
    write(into: &out, level: 0, indent: indent)
    return out
  }

  func write(into out: inout String, level: Int, indent: Int?) {
    let nl = indent == nil ? "" : "\n"
    func pad(_ l: Int) -> String { String(repeating: " ", count: (indent ?? 0) * l) }
    switch self {
    case .string(let s): JSONValue.escape(s, into: &out)
    case .int(let i): out += String(i)
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "[" + nl
      for (i, item) in items.enumerated() {
        out += pad(level + 1)
        item.write(into: &out, level: level + 1, indent: indent)
        out += (i + 1 < items.count ? "," : "") + nl
      }
      out += pad(level) + "]"
    case .object(let fields):
      if fields.isEmpty { out += "{}"; return }
      out += "{" + nl
      for (i, (k, v)) in fields.enumerated() {
        out += pad(level + 1)
        JSONValue.escape(k, into: &out)
        out += indent == nil ? ":" : ": "
        v.write(into: &out, level: level + 1, indent: indent)
        out += (i + 1 < fields.count ? "," : "") + nl
      }
      out += pad(level) + "}"
    }
  }

  static func escape(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}
