import ModelDSL

/// Builds the text edits of fix-its on the original bytes: pass a value, add a parameter, reorder or replace
/// arguments. Edits touch only the bytes they must, so comments and layout elsewhere survive.
enum FixBuilder {
  static func insert(_ text: String, at offset: Int32, file: Int32) -> TextEdit {
    TextEdit(range: SourceRange(file: Int(file), start: Int(offset), end: Int(offset)), replacement: text)
  }

  /// Passes `value` for parameter `pi` of `t` at `site`: positionally when every earlier parameter is filled
  /// positionally (so nothing can misbind), else labelled, placed to keep declaration order.
  static func passValue(_ value: String, site: CallSite, target t: CallTarget, parameter pi: Int,
                        slidArgument: Int?, names: NameTable, forceLabelled: Bool = false) -> TextEdit {
    let args = site.arguments
    let file = site.openParen.file
    if let slid = slidArgument {
      return insert("\(value), ", at: args[slid].range.start, file: file)
    }
    let positional = args.prefix { $0.label == nil }.count
    let earlierPositional = !forceLabelled && positional == pi && (0..<pi).allSatisfy { t.binding[$0] == $0 }
    if earlierPositional {
      if positional == 0 {
        return insert(args.isEmpty ? value : "\(value), ", at: site.openParen.end, file: file)
      }
      return insert(", \(value)", at: args[positional - 1].range.end, file: file)
    }
    let labelled = "\(names.string(t.params[pi].name)): \(value)"
    // After the labelled argument of the latest earlier parameter, else after the positional ones.
    var anchor: Int?
    for q in stride(from: pi - 1, through: 0, by: -1) {
      if let ai = t.binding[q], args[ai].label != nil {
        anchor = ai
        break
      }
    }
    if let anchor { return insert(", \(labelled)", at: args[anchor].range.end, file: file) }
    if positional > 0 { return insert(", \(labelled)", at: args[positional - 1].range.end, file: file) }
    return insert(args.isEmpty ? labelled : "\(labelled), ", at: site.openParen.end, file: file)
  }

  /// Adds `name: type` at the end of `f`'s parameter list.
  static func addParameter(_ name: String, type: String, to f: FuncDecl) -> TextEdit {
    if let last = f.params.last {
      return insert(", \(name): \(type)", at: last.range.end, file: last.range.file)
    }
    return insert("\(name): \(type)", at: f.closeParen.start, file: f.closeParen.file)
  }

  /// Rewrites the labelled arguments of a call into declaration order, slot by slot.
  static func reorder(site: CallSite, target t: CallTarget, sources: SourceManager) -> [TextEdit] {
    var paramOf: [Int: Int] = [:]
    for (pi, ai) in t.binding.enumerated() { if let ai { paramOf[ai] = pi } }
    let slots = site.arguments.indices.filter { site.arguments[$0].label != nil && paramOf[$0] != nil }
    let sorted = slots.sorted { paramOf[$0]! < paramOf[$1]! }
    var edits: [TextEdit] = []
    for (slot, source) in zip(slots, sorted) where slot != source {
      let r = site.arguments[slot].range
      edits.append(TextEdit(range: r, replacement: sources.file(site.arguments[source].range)
        .text(site.arguments[source].range.byteRange)))
    }
    return edits
  }

  /// Removes argument `ai` with the comma that separates it from its neighbour.
  static func removeArgument(_ ai: Int, site: CallSite) -> TextEdit {
    let args = site.arguments
    let r = args[ai].range
    if ai > 0 {
      return TextEdit(range: SourceRange(file: Int(r.file), start: Int(args[ai - 1].range.end), end: Int(r.end)),
                      replacement: "")
    }
    if args.count > 1 {
      return TextEdit(range: SourceRange(file: Int(r.file), start: Int(r.start), end: Int(args[1].range.start)),
                      replacement: "")
    }
    return TextEdit(range: r, replacement: "")
  }
}
