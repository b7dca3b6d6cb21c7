import Foundation

/// The resolver and type checker: declarations first (names, types, signatures, field types), then every
/// method body, field initializer, default value and model. It records a `CallSite` for every call and never
/// stops at the first error.
struct Checker {
  let program: Program
  let names: NameTable
  var diags: [Diagnostic] = []

  /// The scope of the declaration being checked: the prelude sees only itself.
  var inPrelude = false
  var currentLayer: LayerDecl?
  var currentMethod: FuncDecl?
  /// In a field initializer: the index of the field being built (fields before it are visible).
  var fieldLimit: Int?
  /// Block scopes of locals, innermost last.
  var scopes = Scopes()
  /// What is known at this point of the body about the types of paths (`f`, `self.g`, `layers[i].mlp`): an
  /// absent path has its declared type. Flow-sensitive: branches join at the end of an `if` (see `join`).
  var narrowed: [PathKey: Ty] = [:]

  /// Calls checked since the last `flush`, in order; and the current method's parameter reads.
  var collectedCalls: [CallSite] = []
  var collectedReads: [Int: SourceRange] = [:]

  /// Context-typed locals and parameters declared in the current method, in order (see `contextsInScope`).
  var contextLocals: [LocalVar] = []
  /// Set while method bodies are checked in parallel: declarations are then only read.
  var inParallelPhase = false


  let nameForward: Name
  let builtinTypes: [Name: Ty]

  init(program: Program) {
    self.program = program
    self.names = program.names
    nameForward = names.intern("forward")
    builtinTypes = [
      names.intern("Int"): .int, names.intern("Float"): .float, names.intern("Bool"): .bool,
      names.intern("String"): .string, names.intern("Tensor"): .tensor,
    ]
  }

  mutating func error(_ r: SourceRange, _ message: String, notes: [Note] = []) {
    diags.append(Diagnostic(.error, rule: "unresolved", at: r, message, notes: notes))
  }

  func str(_ n: Name) -> String { names.string(n) }
  func describe(_ t: Ty) -> String { t.describe(names) }

  // MARK: - Driver

  mutating func run() {
    collectGlobals()
    collectedCalls = []
    for unit in program.units {
      inPrelude = unit.isPrelude
      for d in unit.decls {
        switch d {
        case .record(let r): resolveRecordFields(r)
        case .layer(let l): resolveLayerSignature(l)
        case .extern(let f): resolveSignature(f)
        case .model: break
        }
      }
    }
    for unit in program.units {
      inPrelude = unit.isPrelude
      for case .layer(let l) in unit.decls { checkFields(l) }
    }
    checkConstructionCycles()
    var methods: [(LayerDecl, FuncDecl, Bool)] = []
    for unit in program.units {
      inPrelude = unit.isPrelude
      for d in unit.decls {
        switch d {
        case .record(let r): checkDefaults(r.fields, types: r.fields.map { resolveType($0.type, report: false) })
        case .layer(let l):
          checkDefaults(l.params, types: l.paramTypes)
          for m in l.methods { methods.append((l, m, unit.isPrelude)) }
        case .extern(let f): checkDefaults(f.params, types: f.paramTypes)
        case .model(let m): checkModel(m)
        }
      }
    }
    program.callSites.append(contentsOf: collectedCalls)
    collectedCalls = []
    // Method bodies are independent: checked in parallel, each worker with its own copy of the checker
    // state, and merged in declaration order.
    // Every call target's parameters, bound once here, so that the parallel phase only reads declarations.
    for l in program.layers {
      _ = params(of: .construct(l))
      for m in l.methods { _ = params(of: .method(m)) }
    }
    for f in program.externs { _ = params(of: .extern(f)) }
    for r in program.records { _ = params(of: .record(r)) }
    inParallelPhase = true
    let base = self
    let workers = methods.count >= 64 ? workerCount() : 1
    let results = parallelMap(count: methods.count, workers: workers, state: { base }) { checker, i in
      let (l, m, prelude) = methods[i]
      checker.inPrelude = prelude
      checker.diags = []
      checker.collectedCalls = []
      checker.collectedReads = [:]
      checker.checkMethod(m, in: l)
      return (checker.diags, checker.collectedCalls, checker.collectedReads)
    }
    for (i, (d, calls, reads)) in results.enumerated() {
      let key = ObjectIdentifier(methods[i].1)
      diags.append(contentsOf: d)
      program.callSites.append(contentsOf: calls)
      program.callsByCaller[key] = calls
      if !reads.isEmpty { program.paramReads[key] = reads }
    }
    program.diagnostics.append(contentsOf: diags)
  }

  mutating func collectGlobals() {
    // Two tables filled in place (copying one per file would make this quadratic in the number of files).
    var prelude = NameMap<Decl>()
    var user = NameMap<Decl>()
    for unit in program.units {
      for d in unit.decls {
        if let prev = unit.isPrelude ? prelude[d.name] : user[d.name] {
          error(d.nameRange, "invalid redeclaration of '\(str(d.name))'",
                notes: [Note("'\(str(d.name))' previously declared here", at: prev.nameRange)])
          continue
        }
        if builtinTypes[d.name] != nil {
          error(d.nameRange, "'\(str(d.name))' is a builtin type and cannot be redeclared")
          continue
        }
        if unit.isPrelude { prelude[d.name] = d } else { user[d.name] = d }
        switch d {
        case .record(let r): program.records.append(r)
        case .layer(let l): program.layers.append(l)
        case .extern(let f): program.externs.append(f)
        case .model(let m): program.models.append(m)
        }
      }
    }
    program.preludeGlobals = prelude
    program.globals = user
  }

  /// A top-level name: the program's own declarations shadow the prelude's; the prelude sees only itself.
  func lookupGlobal(_ n: Name) -> Decl? {
    if inPrelude { return program.preludeGlobals[n] }
    return program.globals[n] ?? program.preludeGlobals[n]
  }

  // MARK: - Types and signatures

  mutating func resolveType(_ t: TypeRef, report: Bool = true) -> Ty {
    switch t {
    case .named(let n, let r):
      if let b = builtinTypes[n] { return b }
      switch lookupGlobal(n) {
      case .record(let d): return .record(d)
      case .layer(let d): return .layer(d)
      case .some(let other):
        if report { error(r, "'\(str(n))' is not a type", notes: [Note("'\(str(n))' declared here", at: other.nameRange)]) }
        return .error
      case nil:
        if report { error(r, "cannot find type '\(str(n))' in scope") }
        return .error
      }
    case .list(let inner, _): return .list(resolveType(inner, report: report))
    case .optional(let inner, _): return .optional(resolveType(inner, report: report))
    case .error: return .error
    }
  }

  mutating func checkDuplicateParams(_ params: [Param], what: String) {
    // Parameter lists are short: comparing interned ids pairwise beats building a dictionary.
    for i in params.indices {
      if let prev = params[..<i].first(where: { $0.name == params[i].name }) {
        error(params[i].nameRange, "invalid redeclaration of \(what) '\(str(params[i].name))'",
              notes: [Note("'\(str(params[i].name))' previously declared here", at: prev.nameRange)])
      }
    }
  }

  mutating func resolveRecordFields(_ r: RecordDecl) {
    checkDuplicateParams(r.fields, what: "field")
    for f in r.fields { _ = resolveType(f.type) }
  }

  mutating func resolveSignature(_ f: FuncDecl) {
    checkDuplicateParams(f.params, what: "parameter")
    f.paramTypes = f.params.map { resolveType($0.type) }
    f.resultType = f.returnType.map { resolveType($0) } ?? .void
  }

  mutating func resolveLayerSignature(_ l: LayerDecl) {
    checkDuplicateParams(l.params, what: "parameter")
    l.paramTypes = l.params.map { resolveType($0.type) }
    for m in l.methods {
      resolveSignature(m)
      if let prev = l.methodsByName[m.name] {
        error(m.nameRange, "invalid redeclaration of method '\(str(m.name))'",
              notes: [Note("'\(str(m.name))' previously declared here", at: prev.nameRange)])
      } else {
        l.methodsByName[m.name] = m
      }
    }
    for f in l.fields {
      if let prev = l.fieldsByName[f.name] {
        error(f.nameRange, "invalid redeclaration of field '\(str(f.name))'",
              notes: [Note("'\(str(f.name))' previously declared here", at: prev.nameRange)])
      } else if let m = l.methodsByName[f.name] {
        error(f.nameRange, "field '\(str(f.name))' has the same name as a method",
              notes: [Note("method '\(str(f.name))' declared here", at: m.nameRange)])
      } else {
        l.fieldsByName[f.name] = f
      }
    }
  }

  /// Default values are checked at top level (they see no parameters) and must fit their parameter.
  mutating func checkDefaults(_ params: [Param], types: [Ty]) {
    let saved = (currentLayer, currentMethod, fieldLimit, scopes, narrowed)
    currentLayer = nil; currentMethod = nil; fieldLimit = nil; scopes = Scopes(); narrowed = [:]
    for (i, p) in params.enumerated() {
      guard let d = p.defaultValue, i < types.count else { continue }
      let t = typeOf(d)
      if !t.fits(types[i]) {
        error(d.range, "default value of type '\(describe(t))' does not fit parameter '\(str(p.name))' of type '\(describe(types[i]))'")
      }
    }
    (currentLayer, currentMethod, fieldLimit, scopes, narrowed) = saved
  }

  // MARK: - Layers

  /// Field types come from their initializers, in order; another layer's fields are computed on demand.
  mutating func checkFields(_ l: LayerDecl) {
    if l.fieldCheckState != 0 { return }
    l.fieldCheckState = 1
    let saved = (currentLayer, currentMethod, fieldLimit, scopes, narrowed, inPrelude)
    inPrelude = program.isPrelude(l.nameRange)
    currentLayer = l
    currentMethod = nil
    scopes = Scopes(depth: 1)
    narrowed = [:]
    for (i, f) in l.fields.enumerated() {
      fieldLimit = i
      f.type = typeOf(f.value)
      if f.type == .void {
        error(f.value.range, "field '\(str(f.name))' has no value: the expression returns nothing")
        f.type = .error
      }
    }
    (currentLayer, currentMethod, fieldLimit, scopes, narrowed, inPrelude) = saved
    l.fieldCheckState = 2
  }

  /// The type of a field of `l`, computing `l`'s fields first when needed.
  mutating func fieldType(_ f: FieldDecl, of l: LayerDecl, at use: SourceRange) -> Ty {
    if l.fieldCheckState == 1 && l !== currentLayer {
      error(use, "field '\(str(f.name))' of '\(str(l.name))' depends on itself")
      return .error
    }
    checkFields(l)
    return f.type
  }

  mutating func checkModel(_ m: ModelDecl) {
    currentLayer = nil; currentMethod = nil; fieldLimit = nil; scopes = Scopes(depth: 1); narrowed = [:]
    let t = typeOf(m.value)
    if t != .error, case .layer = t {} else if t != .error {
      error(m.value.range, "model '\(str(m.name))' must build a layer, not a value of type '\(describe(t))'")
    }
  }

  // MARK: - Methods

  mutating func checkMethod(_ m: FuncDecl, in l: LayerDecl) {
    currentLayer = l
    currentMethod = m
    fieldLimit = nil
    scopes = Scopes(depth: 1)
    narrowed = [:]
    checkFields(l)
    contextLocals = []
    for (i, p) in m.params.enumerated() {
      let v = LocalVar(name: p.name, declRange: p.nameRange, isVar: false,
                       type: i < m.paramTypes.count ? m.paramTypes[i] : .error, paramIndex: i)
      scopes.declare(v)
      if v.type.contextDecl != nil { contextLocals.append(v) }
    }
    guard let body = m.body else { return }
    let returns = checkBlock(body, newScope: true)
    if m.resultType != .void && m.resultType != .error && !returns {
      error(SourceRange(file: Int(body.range.file), start: Int(body.range.end) - 1, end: Int(body.range.end)),
            "missing return in method '\(str(m.name))' expected to return '\(describe(m.resultType))'")
    }
    currentMethod = nil
  }

  /// Records that the current method reads parameter `index` (a field read, or the value stored or returned).
  mutating func noteParamRead(_ v: LocalVar, at r: SourceRange) {
    guard currentMethod != nil, let idx = v.rootParam else { return }
    if collectedReads[idx] == nil { collectedReads[idx] = r }
  }
}
