import CareModel
import ClientStore
import Foundation

/// What the patient summary pane shows for the selected patient, as labelled lines.
public struct PatientDetail: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var value: String
    }

    public var title: String
    public var subtitle: String
    public var lines: [Line]

    /// Builds the summary for `patient` as of `today` (for the age).
    public init(patient: Patient, wardName: String?, today: CalendarDate) {
        title = patient.displayName
        var subtitleParts = [patient.secondaryName, "MRN \(patient.mrn)"].compactMap { $0 }
        if let age = patient.age(on: today) { subtitleParts.append("\(Self.label(for: patient.sex)), \(age) y") }
        subtitle = subtitleParts.joined(separator: " · ")

        var lines: [Line] = []
        let ward = [wardName ?? patient.wardID.rawValue, patient.bed.map { "bed \($0)" }].compactMap { $0 }
        lines.append(Line(label: "Ward", value: ward.joined(separator: ", ")))
        if let discharged = patient.lastDischargedOn { lines.append(Line(label: "Discharged", value: discharged.description)) }
        if !patient.phones.isEmpty {
            lines.append(Line(label: "Phone", value: patient.phones.map { phone in
                phone.contactName.map { "\(phone.number) (\($0))" } ?? phone.number
            }.joined(separator: ", ")))
        }
        for diagnosis in patient.diagnoses {
            lines.append(Line(label: diagnosis.isPrincipal ? "Diagnosis" : "Also", value: "\(diagnosis.code) \(diagnosis.description)"))
        }
        for surgery in patient.surgeries {
            lines.append(Line(label: "Surgery", value: "\(surgery.name) (\(surgery.performedOn))"))
        }
        for medication in patient.dischargeMedications {
            lines.append(Line(label: "Medication", value: "\(medication.name) \(medication.dose) \(medication.frequency)"))
        }
        if !patient.allergies.isEmpty {
            lines.append(Line(label: "Allergies", value: patient.allergies.map { allergy in allergy.reaction.map { "\(allergy.substance) (\($0))" } ?? allergy.substance }.joined(separator: ", ")))
        }
        if !patient.tags.isEmpty { lines.append(Line(label: "Tags", value: patient.tags.joined(separator: ", "))) }
        self.lines = lines
    }

    static func label(for sex: Sex) -> String {
        switch sex {
        case .female: "female"
        case .male: "male"
        case .other: "other"
        case .unknown: "sex unknown"
        }
    }
}
