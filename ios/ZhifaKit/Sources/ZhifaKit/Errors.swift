import Foundation
import ZhifaFFI

extension CoreError {
    /// The Chinese reason the engine gave, to show as it is.
    public var reason: String {
        switch self {
        case .InvalidInput(let reason), .NotFound(let reason), .Sealed(let reason),
             .CalendarOutOfRange(let reason), .Corrupted(let reason), .DiskFull(let reason),
             .Storage(let reason), .LoginRequired(let reason), .WrongPassword(let reason),
             .Forbidden(let reason), .Offline(let reason):
            return reason
        case .Server(_, let reason):
            return reason
        }
    }
}
