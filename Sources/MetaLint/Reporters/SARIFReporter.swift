import MetaCore

/// SARIF 2.1.0 as GitHub code scanning accepts it: repository-relative URIs, rule metadata with help text,
/// start and end positions, stable `partialFingerprints`, related locations for notes, and `fixes` for safe
/// fixes only.
public enum SARIFReporter {
  public static func render(_ result: LintResult, base: String?, toolVersion: String) -> JSONValue {
    let sources = result.sources
    let rules = Registry.rules
    let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
    func level(_ s: Severity) -> String { s == .error ? "error" : s == .warning ? "warning" : "note" }
    func physical(_ r: SourceRange) -> JSONValue {
      let l = sources.location(r)
      return .object([
        ("artifactLocation", PathRelativizer.artifactLocation(l.path, base: base)),
        ("region", .object([("startLine", .int(l.line)), ("startColumn", .int(l.column)),
                            ("endLine", .int(l.endLine)), ("endColumn", .int(max(l.endColumn, l.column + (l.endLine == l.line ? 1 : 0))))])),
      ])
    }
    let driverRules: [JSONValue] = rules.map { r in
      let help = "\(r.doc.whatItDoes)\n\nWhy: \(r.doc.whyItMatters)\n\nFix: \(r.doc.fix)"
      let markdown = "\(r.doc.whatItDoes)\n\n**Why it matters.** \(r.doc.whyItMatters)\n\n**Example**\n\n```\n\(r.doc.example)\n```\n\n**Fix.** \(r.doc.fix)"
      return .object([
        ("id", .string(r.id)),
        ("name", .string(camel(r.id))),
        ("shortDescription", .object([("text", .string(limited(r.summary)))])),
        ("fullDescription", .object([("text", .string(limited(r.doc.whatItDoes)))])),
        ("help", .object([("text", .string(limited(help))), ("markdown", .string(markdown))])),
        ("defaultConfiguration", .object([("level", .string(level(r.defaultSeverity)))])),
        ("properties", .object([("tags", .array([.string("metalint"), .string("correctness")])),
                                ("precision", .string("high")),
                                ("problem.severity", .string(problemSeverity(r.defaultSeverity)))])),
      ])
    }
    var occurrences: [String: Int] = [:]
    let results: [JSONValue] = result.findings.map { d in
      let l = sources.location(d.range)
      let path = PathRelativizer.relative(l.path, to: base)
      let lineText = sources.file(d.range).lineText(l.line - 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
        .joined(separator: " ")
      let key = "\(d.rule)\u{0}\(path)\u{0}\(lineText)"
      let hash = fnv1a(key)
      occurrences[hash, default: 0] += 1
      var fields: [(String, JSONValue)] = [
        ("ruleId", .string(d.rule)),
        ("ruleIndex", .int(ruleIndex[d.rule] ?? 0)),
        ("level", .string(level(d.severity))),
        ("message", .object([("text", .string(d.message))])),
        ("locations", .array([.object([("physicalLocation", physical(d.range))])])),
        ("partialFingerprints", .object([("primaryLocationLineHash", .string("\(hash):\(occurrences[hash]!)"))])),
      ]
      let related = d.notes.enumerated().compactMap { i, n -> JSONValue? in
        guard let r = n.range else { return nil }
        return .object([("id", .int(i + 1)), ("physicalLocation", physical(r)),
                        ("message", .object([("text", .string(n.message))]))])
      }
      if !related.isEmpty { fields.append(("relatedLocations", .array(related))) }
      let safe = d.fixIts.filter { $0.safety == .safe }
      if !safe.isEmpty {
        fields.append(("fixes", .array(safe.map { f in
          var byFile: [Int32: [TextEdit]] = [:]
          for e in f.edits { byFile[e.range.file, default: []].append(e) }
          return .object([
            ("description", .object([("text", .string(f.message))])),
            ("artifactChanges", .array(byFile.keys.sorted().map { file in
              return .object([
                ("artifactLocation", PathRelativizer.artifactLocation(sources.files[Int(file)].path, base: base)),
                ("replacements", .array(byFile[file]!.map { e in
                  let s = sources.location(e.range)
                  return .object([
                    ("deletedRegion", .object([("startLine", .int(s.line)), ("startColumn", .int(s.column)),
                                               ("endLine", .int(s.endLine)), ("endColumn", .int(s.endColumn))])),
                    ("insertedContent", .object([("text", .string(e.replacement))])),
                  ])
                })),
              ])
            })),
          ])
        })))
      }
      return .object(fields)
    }
    return .object([
      ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
      ("version", .string("2.1.0")),
      ("runs", .array([.object([
        ("tool", .object([("driver", .object([
          ("name", .string("metalint")),
          ("version", .string(toolVersion)),
          ("semanticVersion", .string(toolVersion)),
          ("informationUri", .string("https://github.com/metalint/metalint")),
          ("rules", .array(driverRules)),
        ]))])),
        ("columnKind", .string("unicodeCodePoints")),
        ("results", .array(results)),
      ])])),
    ])
  }

  /// GitHub takes at most 1024 characters in a rule's descriptions; longer text is cut with an ellipsis.
  static func limited(_ text: String) -> String {
    text.count <= 1024 ? text : String(text.prefix(1023)) + "…"
  }

  /// GitHub's `problem.severity` words for a severity.
  static func problemSeverity(_ s: Severity) -> String {
    s == .error ? "error" : s == .warning ? "warning" : "recommendation"
  }

  static func camel(_ id: String) -> String {
    id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  /// FNV-1a 64-bit, as 16 hex digits: stable across runs and platforms, unlike `Hasher`.
  static func fnv1a(_ s: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
