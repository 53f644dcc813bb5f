import Foundation
import ZhifaKit

/// The text to show for an error: the engine's Chinese reason as it is.
func errorText(_ error: Error) -> String {
    (error as? CoreError)?.reason ?? error.localizedDescription
}
