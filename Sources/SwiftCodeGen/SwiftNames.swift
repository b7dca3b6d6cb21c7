import ModelDSL

/// How ModelDSL names become Swift names: snake_case members become lowerCamelCase, type names keep their
/// spelling, Swift keywords are escaped. Weight names keep the original spelling (they are strings).
enum SwiftNames {
  static let keywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
    "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
    "nil", "super", "self", "Self", "throw", "throws", "true", "try", "some", "any", "Type",
  ]

  /// `moe_num_chunk` → `moeNumChunk`; `forwardMeta` stays; `_x` keeps its underscore.
  static func member(_ s: String) -> String {
    var out = ""
    var upper = false
    var leading = true
    for ch in s {
      if ch == "_" {
        if leading { out.append(ch) } else { upper = true }
        continue
      }
      leading = false
      if upper {
        out += ch.uppercased()
        upper = false
      } else {
        out.append(ch)
      }
    }
    if out.isEmpty { out = "_" }
    return keywords.contains(out) ? "`\(out)`" : out
  }
}
