/// Several configuration mistakes at once, one per line, in the order they were found: fixing a
/// Buildfile should not take one run per mistake.
public struct ConfigErrors: Error, CustomStringConvertible, Equatable {
    public var errors: [ConfigError]

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Gathers the mistakes found while a Buildfile loads, so loading goes on past the first one.
final class ConfigErrorCollector {
    private(set) var errors: [ConfigError] = []

    var isEmpty: Bool { errors.isEmpty }

    /// A mistake shared by every track (a `--set`, the Buildfile's sections) is said once.
    func add(_ error: ConfigError) {
        if !errors.contains(error) { errors.append(error) }
    }

    /// Runs `body`; a configuration mistake it throws is recorded and nil returned, so the caller
    /// carries on with the next key. Any other error still ends the load.
    @discardableResult
    func attempt<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as ConfigError {
            add(error)
        } catch let errors as ConfigErrors {
            errors.errors.forEach(add)
        }
        return nil
    }

    /// Records a mistake that ends the load and returns everything gathered, to be thrown.
    func adding(_ error: ConfigError) -> Error {
        add(error)
        return failure
    }

    /// Throws what was gathered, if anything.
    func check() throws {
        if !errors.isEmpty { throw failure }
    }

    /// One mistake alone keeps its own type, so callers can still catch a `ConfigError`; several
    /// come in the order of their files, to be read beside them.
    private var failure: Error {
        guard errors.count > 1 else { return errors[0] }
        let sorted = errors.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.file, l.line ?? 0, l.column ?? 0, a.offset) < (r.file, r.line ?? 0, r.column ?? 0, b.offset)
        }
        return ConfigErrors(errors: sorted.map(\.element))
    }
}
