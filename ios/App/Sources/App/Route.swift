import Foundation

/// Where the case list's navigation stack can go.
enum Route: Hashable {
    case caseDetail(caseId: String)
    case record(caseId: String, recordId: String)
    case credential(caseId: String?)
    case rights(caseId: String)
    case capture(caseId: String, recordId: String)
    case sign(caseId: String, recordId: String)
    case syncStatus
}
