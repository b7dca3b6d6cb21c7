/// Renders fix intents as ModelDSL text: `label: value` arguments, `name: Type` parameters, edits on the
/// original bytes only.
struct DSLFixRenderer: FixRenderer {
  func edits(for intent: FixIntent, in model: CheckedModel) -> [TextEdit] {
    switch intent {
    case .passArgument(let call, let value, let parameter, let placement):
      let c = model.calls[call.index]
      let args = model.arguments(of: call)
      func arg(_ i: Int) -> ModelArgument { args[args.startIndex + i] }
      let text: String
      let after: Int?
      switch placement {
      case .positionalBefore(let j):
        return [insert("\(value), ", at: arg(j).range.start, file: c.openParen.file)]
      case .positional(let a):
        (text, after) = (value, a)
      case .keyword(let a):
        (text, after) = ("\(model.str(parameter)): \(value)", a)
      }
      if let after { return [insert(", \(text)", at: arg(after).range.end, file: c.openParen.file)] }
      return [insert(args.isEmpty ? text : "\(text), ", at: c.openParen.end, file: c.openParen.file)]
    case .addParameter(let function, let name, let context):
      let f = model.functions[function.index]
      let type = model.str(model.contexts[context.index].name)
      if let last = model.parameters(of: function).last {
        return [insert(", \(name): \(type)", at: last.range.end, file: last.range.file)]
      }
      return [insert("\(name): \(type)", at: f.closeParen.start, file: f.closeParen.file)]
    case .removeArgument(let call, let ai):
      let args = Array(model.arguments(of: call))
      let r = args[ai].range
      if ai > 0 {
        return [TextEdit(range: SourceRange(file: Int(r.file), start: Int(args[ai - 1].range.end), end: Int(r.end)),
                         replacement: "")]
      }
      if args.count > 1 {
        return [TextEdit(range: SourceRange(file: Int(r.file), start: Int(r.start), end: Int(args[1].range.start)),
                         replacement: "")]
      }
      return [TextEdit(range: r, replacement: "")]
    case .moveArguments(let call, let slots, let sources):
      return zip(slots, sources).map { slot, source in
        TextEdit(range: model.argument(call, slot).range, replacement: model.text(model.argument(call, source).range))
      }
    case .replaceArgument(let call, let ai, let text):
      return [TextEdit(range: model.argument(call, ai).valueRange, replacement: text)]
    }
  }

  private func insert(_ text: String, at offset: Int32, file: Int32) -> TextEdit {
    TextEdit(range: SourceRange(file: Int(file), start: Int(offset), end: Int(offset)), replacement: text)
  }
}
