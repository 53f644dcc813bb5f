import SwiftUI
import ZhifaKit

// Display names of the engine's input enums (for pickers). The engine's
// view records carry their own Chinese labels; these are only for input.
// (No retroactive protocol conformances: pickers use `all` with `id: \.self`.)

extension CaseKind {
    static let all: [CaseKind] = [.inspection, .penalty]
    var title: LocalizedStringKey {
        switch self {
        case .inspection: return "kind.inspection"
        case .penalty: return "kind.penalty"
        }
    }
}

extension Procedure {
    static let all: [Procedure] = [.general, .simple]
    var title: LocalizedStringKey {
        switch self {
        case .simple: return "procedure.simple"
        case .general: return "procedure.general"
        }
    }
}

extension CaseSource {
    static let all: [CaseSource] = [.exOfficio, .complaint, .randomInspection, .transfer]
    var title: LocalizedStringKey {
        switch self {
        case .exOfficio: return "source.exOfficio"
        case .complaint: return "source.complaint"
        case .randomInspection: return "source.randomInspection"
        case .transfer: return "source.transfer"
        }
    }
}

extension PartyKind {
    static let all: [PartyKind] = [.naturalPerson, .legalPerson, .otherOrganisation]
    var title: LocalizedStringKey {
        switch self {
        case .naturalPerson: return "party.naturalPerson"
        case .legalPerson: return "party.legalPerson"
        case .otherOrganisation: return "party.otherOrganisation"
        }
    }
}

extension SignerRole {
    static let all: [SignerRole] = [.party, .officer, .witness, .reviewer, .leader]
    var title: LocalizedStringKey {
        switch self {
        case .officer: return "role.officer"
        case .party: return "role.party"
        case .witness: return "role.witness"
        case .reviewer: return "role.reviewer"
        case .leader: return "role.leader"
        }
    }
}
