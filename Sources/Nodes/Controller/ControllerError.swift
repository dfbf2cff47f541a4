/// Why a trajectory cannot be made: a feature missing or misshapen, or a config value out of range.
public enum ControllerError: Error, CustomStringConvertible, Equatable {
    case missingFeature(name: String)
    case badShape(name: String, expected: String, got: [Int])
    case invalidConfig(key: String, reason: String)

    public var description: String {
        switch self {
        case .missingFeature(let name):
            return "features: no tensor named '\(name)' (the controller needs it)"
        case .badShape(let name, let expected, let got):
            return "features: tensor '\(name)' has shape \(got), expected \(expected)"
        case .invalidConfig(let key, let reason):
            return "\(key): \(reason)"
        }
    }
}
