/// Every layer class `metalint compile` generates conforms: a union-typed field holds `any ModelLayer`.
public protocol ModelLayer: AnyObject {}

/// Small helpers generated code calls so that it fails as the interpreter does (a thrown error, never a
/// trap): integer division, list indexing, unwrapping a nil layer.
public enum RT {
  public static func divide(_ a: Int, _ b: Int) throws -> Int {
    guard b != 0 else { throw PrimitiveError("division by zero") }
    return a / b
  }

  public static func remainder(_ a: Int, _ b: Int) throws -> Int {
    guard b != 0 else { throw PrimitiveError("division by zero") }
    return a % b
  }

  public static func index<T>(_ list: [T], _ i: Int) throws -> T {
    guard i >= 0 && i < list.count else { throw PrimitiveError("index \(i) out of range for a list of \(list.count)") }
    return list[i]
  }

  public static func unwrap<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw PrimitiveError("\(what) is nil") }
    return value
  }

  public static func cast<T>(_ value: Any?, to: T.Type, _ what: String) throws -> T {
    guard let v = value as? T else { throw PrimitiveError("\(what) is not a '\(T.self)'") }
    return v
  }
}
