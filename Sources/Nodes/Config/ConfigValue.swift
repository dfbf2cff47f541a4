/// Where a configuration value came from, for error messages (`Buildfile.yaml:12:5`, `--set`).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return file }
        return "\(file):\(line):\(column ?? 1)"
    }
}

/// A scalar configuration value, as typed by YAML.
public enum ConfigValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case null

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .float(let v): return String(v)
        case .bool(let v): return String(v)
        case .string(let v): return v
        case .null: return "null"
        }
    }

    /// The value as a JSON fragment, for decoding into the typed sections.
    var json: Any {
        switch self {
        case .int(let v): return v
        case .float(let v): return v
        case .bool(let v): return v
        case .string(let v): return v
        case .null: return NSNullValue.shared
        }
    }
}

import Foundation
enum NSNullValue { static let shared = NSNull() }

/// A value with the place it was set.
public struct LocatedValue: Equatable, Sendable {
    public var value: ConfigValue
    public var location: SourceLocation
}
