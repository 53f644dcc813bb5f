import Foundation
import ZhifaKit

/// The text to show for an error: the engine's Chinese reason as it is.
func errorText(_ error: Error) -> String {
    guard let core = error as? CoreError else { return error.localizedDescription }
    switch core {
    case .InvalidInput(let reason), .NotFound(let reason), .Sealed(let reason),
         .CalendarOutOfRange(let reason), .Corrupted(let reason), .DiskFull(let reason),
         .Storage(let reason), .LoginRequired(let reason), .WrongPassword(let reason),
         .Forbidden(let reason), .Offline(let reason):
        return reason
    case .Server(_, let reason):
        return reason
    }
}
