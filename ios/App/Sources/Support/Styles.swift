import SwiftUI
import ZhifaKit

/// Colours for the engine's deadline states. The engine decides the state;
/// this only picks how it looks. The switch has no `default`: a state the
/// engine adds fails to compile here.
extension DeadlineBadge {
    var color: Color {
        switch state {
        case .overdue: return .red
        case .dueToday: return .red
        case .dueSoon: return .orange
        case .onTime: return .green
        }
    }
}

/// Colour of a case's sync label by its `SyncState` (no `default`: a state
/// the engine adds fails to compile here).
func syncColor(_ state: SyncState) -> Color {
    switch state {
    case .synced: return .secondary
    case .forbidden, .refused: return .red
    case .local, .dirty: return .orange
    }
}

/// A small coloured capsule with text from the engine.
struct StateTag: View {
    let text: String
    let color: Color

    var body: some View {
        Text(verbatim: text)
            .font(.caption.weight(.medium))
            .padding(.horizontal, 6)
            .padding(.vertical, 2)
            .foregroundStyle(color)
            .background(color.opacity(0.12), in: Capsule())
    }
}

/// Red lines of text, e.g. what blocks a stage or a seal.
struct ProblemList: View {
    let lines: [String]

    var body: some View {
        ForEach(lines, id: \.self) { line in
            Label { Text(verbatim: line) } icon: { Image(systemName: "exclamationmark.circle") }
                .foregroundStyle(.red)
                .font(.callout)
        }
    }
}

/// An error line under a form section, shown only when there is one.
struct ErrorLine: View {
    let message: String?

    var body: some View {
        if let message {
            Text(verbatim: message).font(.callout).foregroundStyle(.red)
        }
    }
}
