/// Lowers a checked ModelDSL program into the language-neutral checked model the rules read: layers become
/// classes, methods and externs functions (externs first, then every layer's methods, in declaration order;
/// constructors and records as calls reach them), every call site a call with its arguments, one target per
/// alternative and the context values in scope; the checker's parameter reads become the base facts.
public enum ModelLowering {
  public static func lower(_ program: Program) -> CheckedModel {
    var l = Lowerer(program)
    l.run()
    return l.model
  }
}

private struct Lowerer {
  let program: Program
  let model: CheckedModel
  var functionIDs: [ObjectIdentifier: FunctionID] = [:]
  var classIDs: [ObjectIdentifier: ClassID] = [:]
  var contextIDs: [ObjectIdentifier: ContextID] = [:]
  var typeIDs: [Ty: Int32] = [:]
  var namedIDs: [ObjectIdentifier: Int32] = [:]
  var scalarIDs = [Int32](repeating: -1, count: 9)

  init(_ program: Program) {
    self.program = program
    model = CheckedModel(names: program.names, sources: program.sources, renderer: DSLFixRenderer())
  }

  mutating func run() {
    model.editable = [Bool](repeating: false, count: program.sources.files.count)
    for unit in program.units where !unit.isPrelude { model.editable[unit.file.id] = true }
    model.checkedFileCount = program.userUnits.count
    for r in program.records where r.isContext {
      contextIDs[ObjectIdentifier(r)] = ContextID(model.contexts.count)
      model.contexts.append(ModelContext(name: r.name))
    }
    for layer in program.layers {
      classIDs[ObjectIdentifier(layer)] = ClassID(model.classes.count)
      model.classes.append(ModelClass(name: layer.name))
    }
    for f in program.externs { addFunction(f, kind: .external, owner: nil) }
    for layer in program.layers {
      for m in layer.methods { addFunction(m, kind: .method, owner: classIDs[ObjectIdentifier(layer)]) }
    }
    model.calls.reserveCapacity(program.callSites.count)
    for site in program.callSites { lowerCall(site) }
    lowerDirectUses()
    model.diagnostics = program.diagnostics
    for unit in program.units where !unit.isPrelude && !unit.suppressions.isEmpty {
      model.suppressions += SuppressionCoverage.lines(of: unit)
    }
  }

  /// The type's description as an index into `typeTexts`: scalar types by a fixed slot, named types by
  /// declaration identity, only lists and unions by hashing the type.
  mutating func typeText(_ t: Ty) -> Int32 {
    let scalar: Int
    switch t {
    case .int: scalar = 0
    case .float: scalar = 1
    case .bool: scalar = 2
    case .string: scalar = 3
    case .tensor: scalar = 4
    case .void: scalar = 5
    case .nilType: scalar = 6
    case .rangeType: scalar = 7
    case .error: scalar = 8
    case .record(let d): return namedText(ObjectIdentifier(d), t)
    case .layer(let d): return namedText(ObjectIdentifier(d), t)
    case .list, .union: return hashedText(t)
    }
    if scalarIDs[scalar] < 0 { scalarIDs[scalar] = hashedText(t) }
    return scalarIDs[scalar]
  }

  mutating func namedText(_ key: ObjectIdentifier, _ t: Ty) -> Int32 {
    if let id = namedIDs[key] { return id }
    let id = hashedText(t)
    namedIDs[key] = id
    return id
  }

  mutating func hashedText(_ t: Ty) -> Int32 {
    if let id = typeIDs[t] { return id }
    let id = Int32(model.typeTexts.count)
    model.typeTexts.append(t.describe(program.names))
    typeIDs[t] = id
    return id
  }

  func context(_ t: Ty) -> ContextID? { t.contextDecl.flatMap { contextIDs[ObjectIdentifier($0)] } }

  mutating func addFunction(_ f: FuncDecl, kind: FunctionKind, owner: ClassID?) {
    let start = model.parameters.count
    for (i, p) in f.params.enumerated() {
      let t = i < f.paramTypes.count ? f.paramTypes[i] : .error
      model.parameters.append(ModelParameter(
        name: p.name, kind: .positionalOrKeyword, hasDefault: p.defaultValue != nil, typeText: typeText(t),
        context: context(t), nameRange: p.nameRange, range: p.range))
    }
    functionIDs[ObjectIdentifier(f)] = FunctionID(model.functions.count)
    model.functions.append(ModelFunction(
      displayName: program.qualifiedName(f), kind: kind, owner: owner, nameRange: f.nameRange,
      closeParen: f.closeParen, parameters: Span32(start: start, count: f.params.count)))
  }

  /// The function a target reaches; constructors and records are made the first time a call reaches them,
  /// from the parameters the checker bound.
  mutating func function(of t: CallTarget) -> FunctionID {
    let key: ObjectIdentifier
    let name: Name
    let range: SourceRange
    let kind: FunctionKind
    switch t.kind {
    case .method(let f), .extern(let f):
      if let id = functionIDs[ObjectIdentifier(f)] { return id }
      // A declaration the program does not list (a redeclared layer's method): lowered on first reach.
      addFunction(f, kind: f.isExtern ? .external : .method, owner: f.owner.flatMap { classIDs[ObjectIdentifier($0)] })
      return functionIDs[ObjectIdentifier(f)]!
    case .construct(let layer):
      (key, name, range, kind) = (ObjectIdentifier(layer), layer.name, layer.nameRange, .constructor)
    case .record(let r):
      (key, name, range, kind) = (ObjectIdentifier(r), r.name, r.nameRange, .record)
    }
    if let id = functionIDs[key] { return id }
    let start = model.parameters.count
    for p in t.params {
      model.parameters.append(ModelParameter(
        name: p.name, kind: .positionalOrKeyword, hasDefault: p.hasDefault, typeText: typeText(p.type),
        context: context(p.type), nameRange: p.declRange, range: p.declRange))
    }
    let id = FunctionID(model.functions.count)
    functionIDs[key] = id
    model.functions.append(ModelFunction(
      displayName: program.names.string(name), kind: kind, owner: nil, nameRange: range, closeParen: range,
      parameters: Span32(start: start, count: t.params.count)))
    return id
  }

  mutating func lowerCall(_ site: CallSite) {
    let argStart = model.arguments.count
    for a in site.arguments {
      let v = a.value
      let shape: ArgumentShape
      switch v.symbol {
      case .field: shape = .field
      case .layerParam: shape = .layerParameter
      default: shape = v.callSite != nil ? .call : .other
      }
      var isName = false
      if case .name = v.kind { isName = true }
      let text = typeText(v.type)
      model.arguments.append(ModelArgument(
        label: a.label, kind: a.label == nil ? .positional : .keyword, range: a.range, valueRange: v.range,
        typeText: text, nonNilTypeText: shape == .call ? typeText(v.type.nonNil) : text, context: context(v.type),
        rootParameter: rootParam(v).map { Int32($0) }, freshness: freshness(v), shape: shape, isSimpleName: isName))
    }
    let targetStart = model.targets.count
    for t in site.targets {
      let f = function(of: t)
      let bindingStart = model.bindings.count
      for b in t.binding { model.bindings.append(Int32(b ?? -1)) }
      let issueStart = model.issues.count
      model.issues += t.issues
      let orderStart = model.outOfOrder.count
      for i in t.outOfOrder { model.outOfOrder.append(Int32(i)) }
      // The slid-argument analysis re-binds with a context inserted: it needs every argument's fit.
      var fits: [Bool] = []
      let slid = t.issues.contains {
        if case .typeMismatch(let ai, let pi) = $0 {
          return site.arguments[ai].label == nil && t.params[pi].type.contextDecl != nil
        }
        return false
      }
      if slid {
        for a in site.arguments { for p in t.params { fits.append(a.value.type.fits(p.type)) } }
      }
      model.targets.append(ModelTarget(
        function: f, receiver: t.receiver.flatMap { classIDs[ObjectIdentifier($0)] },
        binding: Span32(start: bindingStart, count: t.binding.count),
        issues: Span32(start: issueStart, count: t.issues.count),
        outOfOrder: Span32(start: orderStart, count: t.outOfOrder.count), fits: fits))
    }
    let scopeStart = model.scopeValues.count
    for s in site.scopeContexts {
      guard let c = contextIDs[ObjectIdentifier(s.context)] else { continue }
      model.scopeValues.append(ModelScopeValue(name: s.variable.name, context: c, declRange: s.variable.declRange,
                                               isParameter: s.variable.paramIndex != nil))
    }
    model.calls.append(ModelCall(
      caller: site.caller.flatMap { functionIDs[ObjectIdentifier($0)] }, calleeNameRange: site.calleeNameRange,
      openParen: site.openParen, closeParen: site.closeParen,
      arguments: Span32(start: argStart, count: site.arguments.count),
      targets: Span32(start: targetStart, count: site.targets.count),
      scope: Span32(start: scopeStart, count: model.scopeValues.count - scopeStart),
      receiverIsUnion: site.receiverIsUnion))
  }

  /// The base facts: the parameters each method reads directly (the checker's reads), then the context
  /// parameters it passes to a constructor (building a layer or record stores the value: a use).
  mutating func lowerDirectUses() {
    for layer in program.layers {
      for m in layer.methods {
        let key = ObjectIdentifier(m)
        guard let id = functionIDs[key] else { continue }
        let isContext = { (i: Int) in i < m.paramTypes.count && m.paramTypes[i].contextDecl != nil }
        for (i, r) in (program.paramReads[key] ?? [:]).sorted(by: { $0.key < $1.key }) where isContext(i) {
          model.directUses.append(DirectUse(function: id, parameter: i, range: r))
        }
        for site in program.callsByCaller[key] ?? [] {
          for t in site.targets {
            switch t.kind {
            case .construct, .record:
              for ai in t.binding.compactMap({ $0 }) {
                if let p = rootParam(site.arguments[ai].value), isContext(p) {
                  model.directUses.append(DirectUse(function: id, parameter: p, range: site.arguments[ai].range))
                }
              }
            default: break
            }
          }
        }
      }
    }
  }

  /// The parameter an argument is, directly or through a `let` alias.
  func rootParam(_ e: Expr) -> Int? {
    var x = e
    while case .paren(let inner) = x.kind { x = inner }
    guard case .name = x.kind, case .local(let v) = x.symbol else { return nil }
    return v.rootParam
  }

  /// Whether an argument is a newly built context (`C()`) or an expression rooted at a field, a layer
  /// parameter or `self`.
  func freshness(_ e: Expr) -> ArgumentFreshness {
    var x = e
    while true {
      switch x.kind {
      case .paren(let inner): x = inner
      case .call:
        for t in x.callSite?.targets ?? [] {
          if case .record(let r) = t.kind, r.isContext, let c = contextIDs[ObjectIdentifier(r)] {
            return .constructed(c)
          }
        }
        return .none
      case .member(let base, _, _):
        if case .field = x.symbol, case .selfRef = base.kind { return .rootedElsewhere }
        x = base
      case .index(let base, _): x = base
      case .selfRef: return .rootedElsewhere
      case .name:
        switch x.symbol {
        case .field, .layerParam, .selfValue: return .rootedElsewhere
        default: return .none
        }
      default: return .none
      }
    }
  }
}
