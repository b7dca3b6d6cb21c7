import Foundation
import MetaCore

/// Makes finding paths relative to a base directory, with forward slashes, as SARIF and GitHub want them.
enum PathRelativizer {
  static func relative(_ path: String, to base: String?) -> String {
    var p = path
    if p.hasPrefix("<") { return p }
    let baseDir = base ?? FileManager.default.currentDirectoryPath
    let absolute = p.hasPrefix("/") ? p : baseDir + "/" + p
    let std = URL(fileURLWithPath: absolute).standardizedFileURL.path
    let b = URL(fileURLWithPath: baseDir).standardizedFileURL.path
    if std.hasPrefix(b + "/") {
      p = String(std.dropFirst(b.count + 1))
    } else {
      p = std
    }
    return p
  }

  /// A SARIF `artifactLocation`: a percent-encoded path relative to `base` with `uriBaseId` `%SRCROOT%`, or,
  /// for a file outside `base`, an absolute `file://` URI without one (a relative reference must not climb out
  /// of the repository, and a bare absolute path would be read as relative to `%SRCROOT%`).
  static func artifactLocation(_ path: String, base: String?) -> JSONValue {
    let rel = relative(path, to: base)
    if rel.hasPrefix("/") {
      return .object([("uri", .string("file://" + uri(rel)))])
    }
    return .object([("uri", .string(uri(rel))), ("uriBaseId", .string("%SRCROOT%"))])
  }

  /// Percent-encodes what a URI reference may not contain.
  static func uri(_ path: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#[]@!$&'()*+,;=")
    return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
  }
}
