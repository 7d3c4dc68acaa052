// The clinical content of the demo hospital: departments and wards, and for each
// department the conditions it discharges with the operations and take-home medicines
// that go with them. Codes are ICD-10 for diagnoses and ICD-9-CM-3 for procedures, as
// Chinese hospitals' front pages of the medical record (病案首页) use them; doses are the
// usual adult maintenance doses on Chinese discharge orders.

/// One condition a department discharges patients with, and what comes with it.
struct ConditionProfile: Sendable {
    let diagnosis: Diagnosis
    let weight: Int
    /// Age at admission.
    let ages: ClosedRange<Int>
    /// Nil when the condition occurs in either sex.
    let onlySex: Sex?
    let stayDays: ClosedRange<Int>
    /// One medicine is chosen from each inner list (a drug class and its alternatives).
    let medications: [[DischargeMedication]]
    /// Operations for this condition; one is chosen for `operatedPercent` of patients.
    let operations: [(code: String, name: String)]
    let operatedPercent: Int
    /// Secondary diagnoses that sometimes accompany it (a post-operative complication, a
    /// typical comorbidity), each with its likelihood in percent.
    let complications: [(diagnosis: Diagnosis, percent: Int)]
    let tags: [String]

    init(
        _ code: String, _ description: String, weight: Int, ages: ClosedRange<Int>,
        onlySex: Sex? = nil, stayDays: ClosedRange<Int>,
        medications: [[DischargeMedication]] = [],
        operations: [(code: String, name: String)] = [], operatedPercent: Int = 0,
        complications: [(diagnosis: Diagnosis, percent: Int)] = [], tags: [String] = []
    ) {
        diagnosis = Diagnosis(code: code, description: description, isPrincipal: true)
        self.weight = weight
        self.ages = ages
        self.onlySex = onlySex
        self.stayDays = stayDays
        self.medications = medications
        self.operations = operations
        self.operatedPercent = operatedPercent
        self.complications = complications
        self.tags = tags
    }
}

struct DepartmentProfile: Sendable {
    let department: Department
    let wards: [Ward]
    let physicians: [String]
    let conditions: [ConditionProfile]
}

// MARK: - Medicines

enum Medicines {
    static let amlodipine = DischargeMedication(name: "苯磺酸氨氯地平片 (amlodipine)", dose: "5 mg", frequency: "qd")
    static let valsartan = DischargeMedication(name: "缬沙坦胶囊 (valsartan)", dose: "80 mg", frequency: "qd")
    static let irbesartan = DischargeMedication(name: "厄贝沙坦片 (irbesartan)", dose: "150 mg", frequency: "qd")
    static let nifedipine = DischargeMedication(name: "硝苯地平控释片 (nifedipine GITS)", dose: "30 mg", frequency: "qd")
    static let metoprolol = DischargeMedication(name: "琥珀酸美托洛尔缓释片 (metoprolol succinate)", dose: "47.5 mg", frequency: "qd")
    static let bisoprolol = DischargeMedication(name: "富马酸比索洛尔片 (bisoprolol)", dose: "2.5 mg", frequency: "qd")
    static let aspirin = DischargeMedication(name: "阿司匹林肠溶片 (aspirin)", dose: "100 mg", frequency: "qd")
    static let clopidogrel = DischargeMedication(name: "硫酸氢氯吡格雷片 (clopidogrel)", dose: "75 mg", frequency: "qd")
    static let ticagrelor = DischargeMedication(name: "替格瑞洛片 (ticagrelor)", dose: "90 mg", frequency: "bid")
    static let atorvastatin = DischargeMedication(name: "阿托伐他汀钙片 (atorvastatin)", dose: "20 mg", frequency: "qn")
    static let atorvastatinHigh = DischargeMedication(name: "阿托伐他汀钙片 (atorvastatin)", dose: "40 mg", frequency: "qn")
    static let rosuvastatin = DischargeMedication(name: "瑞舒伐他汀钙片 (rosuvastatin)", dose: "10 mg", frequency: "qn")
    static let furosemide = DischargeMedication(name: "呋塞米片 (furosemide)", dose: "20 mg", frequency: "qd")
    static let torasemide = DischargeMedication(name: "托拉塞米片 (torasemide)", dose: "10 mg", frequency: "qd")
    static let spironolactone = DischargeMedication(name: "螺内酯片 (spironolactone)", dose: "20 mg", frequency: "qd")
    static let sacubitrilValsartan = DischargeMedication(name: "沙库巴曲缬沙坦钠片 (sacubitril/valsartan)", dose: "50 mg", frequency: "bid")
    static let dapagliflozin = DischargeMedication(name: "达格列净片 (dapagliflozin)", dose: "10 mg", frequency: "qd")
    static let rivaroxaban = DischargeMedication(name: "利伐沙班片 (rivaroxaban)", dose: "20 mg", frequency: "qd")
    static let rivaroxabanProphylaxis = DischargeMedication(name: "利伐沙班片 (rivaroxaban)", dose: "10 mg", frequency: "qd")
    static let warfarin = DischargeMedication(name: "华法林钠片 (warfarin)", dose: "3 mg", frequency: "qd")
    static let dabigatran = DischargeMedication(name: "达比加群酯胶囊 (dabigatran)", dose: "110 mg", frequency: "bid")
    static let metformin = DischargeMedication(name: "盐酸二甲双胍片 (metformin)", dose: "0.5 g", frequency: "tid")
    static let acarbose = DischargeMedication(name: "阿卡波糖片 (acarbose)", dose: "50 mg", frequency: "tid")
    static let glimepiride = DischargeMedication(name: "格列美脲片 (glimepiride)", dose: "2 mg", frequency: "qd")
    static let sitagliptin = DischargeMedication(name: "磷酸西格列汀片 (sitagliptin)", dose: "100 mg", frequency: "qd")
    static let insulinGlargine = DischargeMedication(name: "甘精胰岛素注射液 (insulin glargine)", dose: "12 U", frequency: "qn", route: "皮下注射")
    static let insulinAspart = DischargeMedication(name: "门冬胰岛素注射液 (insulin aspart)", dose: "6 U", frequency: "tid", route: "餐前皮下注射")
    static let methimazole = DischargeMedication(name: "甲巯咪唑片 (methimazole)", dose: "10 mg", frequency: "tid")
    static let propranolol = DischargeMedication(name: "盐酸普萘洛尔片 (propranolol)", dose: "10 mg", frequency: "tid")
    static let levothyroxine = DischargeMedication(name: "左甲状腺素钠片 (levothyroxine)", dose: "50 μg", frequency: "qd")
    static let epalrestat = DischargeMedication(name: "依帕司他片 (epalrestat)", dose: "50 mg", frequency: "tid")
    static let mecobalamin = DischargeMedication(name: "甲钴胺片 (mecobalamin)", dose: "0.5 mg", frequency: "tid")
    static let tiotropium = DischargeMedication(name: "噻托溴铵粉吸入剂 (tiotropium)", dose: "18 μg", frequency: "qd", route: "吸入")
    static let budesonideFormoterol = DischargeMedication(name: "布地奈德福莫特罗粉吸入剂 (budesonide/formoterol)", dose: "160/4.5 μg 1吸", frequency: "bid", route: "吸入")
    static let salmeterolFluticasone = DischargeMedication(name: "沙美特罗替卡松粉吸入剂 (salmeterol/fluticasone)", dose: "50/250 μg 1吸", frequency: "bid", route: "吸入")
    static let montelukast = DischargeMedication(name: "孟鲁司特钠片 (montelukast)", dose: "10 mg", frequency: "qn")
    static let moxifloxacin = DischargeMedication(name: "盐酸莫西沙星片 (moxifloxacin)", dose: "0.4 g", frequency: "qd")
    static let amoxicillinClavulanate = DischargeMedication(name: "阿莫西林克拉维酸钾片 (amoxicillin/clavulanate)", dose: "0.457 g", frequency: "bid")
    static let ambroxol = DischargeMedication(name: "盐酸氨溴索片 (ambroxol)", dose: "30 mg", frequency: "tid")
    static let acetylcysteine = DischargeMedication(name: "乙酰半胱氨酸泡腾片 (acetylcysteine)", dose: "0.6 g", frequency: "bid")
    static let cefuroxime = DischargeMedication(name: "头孢呋辛酯片 (cefuroxime axetil)", dose: "0.25 g", frequency: "bid")
    static let paracetamol = DischargeMedication(name: "对乙酰氨基酚片 (paracetamol)", dose: "0.5 g", frequency: "prn")
    static let celecoxib = DischargeMedication(name: "塞来昔布胶囊 (celecoxib)", dose: "200 mg", frequency: "qd")
    static let omeprazole = DischargeMedication(name: "奥美拉唑肠溶胶囊 (omeprazole)", dose: "20 mg", frequency: "qd")
    static let pancreatin = DischargeMedication(name: "胰酶肠溶胶囊 (pancreatin)", dose: "0.3 g", frequency: "tid")
    static let capecitabine = DischargeMedication(name: "卡培他滨片 (capecitabine)", dose: "1.5 g", frequency: "bid")
    static let calciumVitaminD = DischargeMedication(name: "碳酸钙D3片 (calcium carbonate/vitamin D3)", dose: "600 mg", frequency: "qd")
    static let alendronate = DischargeMedication(name: "阿仑膦酸钠片 (alendronate)", dose: "70 mg", frequency: "qw")
    static let levodopaBenserazide = DischargeMedication(name: "多巴丝肼片 (levodopa/benserazide)", dose: "125 mg", frequency: "tid")
    static let pramipexole = DischargeMedication(name: "盐酸普拉克索片 (pramipexole)", dose: "0.25 mg", frequency: "tid")
    static let levetiracetam = DischargeMedication(name: "左乙拉西坦片 (levetiracetam)", dose: "500 mg", frequency: "bid")
    static let valproate = DischargeMedication(name: "丙戊酸钠缓释片 (sodium valproate)", dose: "500 mg", frequency: "bid")
    static let tamsulosin = DischargeMedication(name: "盐酸坦索罗辛缓释胶囊 (tamsulosin)", dose: "0.2 mg", frequency: "qn")
    static let finasteride = DischargeMedication(name: "非那雄胺片 (finasteride)", dose: "5 mg", frequency: "qd")
    static let levofloxacin = DischargeMedication(name: "左氧氟沙星片 (levofloxacin)", dose: "0.5 g", frequency: "qd")
    static let potassiumCitrate = DischargeMedication(name: "枸橼酸氢钾钠颗粒 (potassium sodium hydrogen citrate)", dose: "2.5 g", frequency: "tid")
}

// MARK: - Common comorbidities

enum Comorbidities {
    static let hypertension = Diagnosis(code: "I10", description: "原发性高血压")
    static let type2Diabetes = Diagnosis(code: "E11.9", description: "2型糖尿病")
    static let hyperlipidaemia = Diagnosis(code: "E78.5", description: "高脂血症")
    static let woundInfection = Diagnosis(code: "T81.4", description: "手术后切口感染")
    static let postOpAnaemia = Diagnosis(code: "D62", description: "急性失血后贫血")
    static let respiratoryFailure = Diagnosis(code: "J96.1", description: "慢性呼吸衰竭")
    static let pulmonaryHeart = Diagnosis(code: "I27.9", description: "慢性肺源性心脏病")
    static let osteoporosis = Diagnosis(code: "M81.9", description: "骨质疏松症")
    static let atrialFibrillation = Diagnosis(code: "I48.9", description: "心房颤动")
    static let sequelae = Diagnosis(code: "I69.3", description: "脑梗死后遗症")

    /// Medicines that come with a comorbidity found on top of the principal diagnosis.
    static let medications: [String: [DischargeMedication]] = [
        "I10": [Medicines.amlodipine, Medicines.valsartan, Medicines.nifedipine],
        "E11.9": [Medicines.metformin, Medicines.sitagliptin, Medicines.acarbose],
        "E78.5": [Medicines.atorvastatin, Medicines.rosuvastatin],
        "M81.9": [Medicines.calciumVitaminD],
    ]
}

// MARK: - Departments, wards, conditions

extension DemoHospital {
    static let departmentProfiles: [DepartmentProfile] = [
        DepartmentProfile(
            department: Department(id: "CARD", name: "心血管内科", englishName: "Cardiology", isSurgical: false),
            wards: [
                Ward(id: "CARD-1", name: "心内科一病区", departmentID: "CARD", bedCount: 45),
                Ward(id: "CARD-2", name: "心内科二病区", departmentID: "CARD", bedCount: 40),
            ],
            physicians: ["周建华", "陈立新", "王晓燕", "刘振东"],
            conditions: [
                ConditionProfile(
                    "I10", "原发性高血压", weight: 20, ages: 40...85, stayDays: 4...9,
                    medications: [[Medicines.amlodipine, Medicines.nifedipine], [Medicines.valsartan, Medicines.irbesartan]],
                    tags: ["高血压"]),
                ConditionProfile(
                    "I50.9", "心力衰竭", weight: 18, ages: 55...92, stayDays: 7...16,
                    medications: [[Medicines.furosemide, Medicines.torasemide], [Medicines.spironolactone],
                                  [Medicines.sacubitrilValsartan], [Medicines.metoprolol, Medicines.bisoprolol],
                                  [Medicines.dapagliflozin]],
                    complications: [(Comorbidities.atrialFibrillation, 30)],
                    tags: ["心力衰竭"]),
                ConditionProfile(
                    "I20.0", "不稳定型心绞痛", weight: 18, ages: 45...85, stayDays: 4...8,
                    medications: [[Medicines.aspirin], [Medicines.clopidogrel, Medicines.ticagrelor],
                                  [Medicines.atorvastatin, Medicines.rosuvastatin], [Medicines.metoprolol]],
                    operations: [("00.66", "经皮冠状动脉腔内血管成形术 (PTCA) 伴药物洗脱支架置入")],
                    operatedPercent: 55, tags: ["冠心病"]),
                ConditionProfile(
                    "I21.4", "急性非ST段抬高型心肌梗死", weight: 10, ages: 45...88, stayDays: 6...12,
                    medications: [[Medicines.aspirin], [Medicines.ticagrelor, Medicines.clopidogrel],
                                  [Medicines.atorvastatinHigh], [Medicines.metoprolol, Medicines.bisoprolol]],
                    operations: [("00.66", "经皮冠状动脉腔内血管成形术 (PTCA) 伴药物洗脱支架置入")],
                    operatedPercent: 85, tags: ["冠心病"]),
                ConditionProfile(
                    "I48.9", "心房颤动", weight: 12, ages: 50...90, stayDays: 4...9,
                    medications: [[Medicines.rivaroxaban, Medicines.warfarin, Medicines.dabigatran],
                                  [Medicines.metoprolol, Medicines.bisoprolol]],
                    operations: [("37.34", "导管消融术 (心房颤动射频消融)")], operatedPercent: 30,
                    tags: ["房颤"]),
            ]),
        DepartmentProfile(
            department: Department(id: "ENDO", name: "内分泌科", englishName: "Endocrinology", isSurgical: false),
            wards: [Ward(id: "ENDO-1", name: "内分泌科病区", departmentID: "ENDO", bedCount: 38)],
            physicians: ["孙丽华", "徐文斌", "郭敏"],
            conditions: [
                ConditionProfile(
                    "E11.9", "2型糖尿病", weight: 26, ages: 35...85, stayDays: 6...12,
                    medications: [[Medicines.metformin], [Medicines.glimepiride, Medicines.sitagliptin,
                                                          Medicines.acarbose, Medicines.dapagliflozin]],
                    tags: ["糖尿病"]),
                ConditionProfile(
                    "E11.4", "2型糖尿病性周围神经病变", weight: 12, ages: 45...85, stayDays: 7...14,
                    medications: [[Medicines.metformin], [Medicines.insulinGlargine],
                                  [Medicines.epalrestat], [Medicines.mecobalamin]],
                    tags: ["糖尿病"]),
                ConditionProfile(
                    "E11.2", "2型糖尿病肾病", weight: 8, ages: 45...85, stayDays: 7...14,
                    medications: [[Medicines.insulinGlargine], [Medicines.dapagliflozin], [Medicines.irbesartan]],
                    tags: ["糖尿病"]),
                ConditionProfile(
                    "E10.9", "1型糖尿病", weight: 5, ages: 16...45, stayDays: 5...10,
                    medications: [[Medicines.insulinAspart], [Medicines.insulinGlargine]],
                    tags: ["糖尿病"]),
                ConditionProfile(
                    "E05.0", "弥漫性毒性甲状腺肿 (Graves病)", weight: 7, ages: 20...60, stayDays: 4...8,
                    medications: [[Medicines.methimazole], [Medicines.propranolol]]),
                ConditionProfile(
                    "E03.9", "甲状腺功能减退症", weight: 5, ages: 25...80, stayDays: 3...7,
                    medications: [[Medicines.levothyroxine]]),
            ]),
        DepartmentProfile(
            department: Department(id: "RESP", name: "呼吸与危重症医学科", englishName: "Respiratory medicine", isSurgical: false),
            wards: [Ward(id: "RESP-1", name: "呼吸科病区", departmentID: "RESP", bedCount: 42)],
            physicians: ["高建国", "林慧", "马志强"],
            conditions: [
                ConditionProfile(
                    "J44.1", "慢性阻塞性肺疾病急性加重", weight: 24, ages: 55...90, stayDays: 7...15,
                    medications: [[Medicines.tiotropium], [Medicines.budesonideFormoterol, Medicines.salmeterolFluticasone],
                                  [Medicines.acetylcysteine, Medicines.ambroxol]],
                    complications: [(Comorbidities.respiratoryFailure, 25), (Comorbidities.pulmonaryHeart, 12)],
                    tags: ["慢阻肺"]),
                ConditionProfile(
                    "J18.9", "肺炎", weight: 18, ages: 18...92, stayDays: 5...12,
                    medications: [[Medicines.moxifloxacin, Medicines.amoxicillinClavulanate], [Medicines.ambroxol]]),
                ConditionProfile(
                    "J45.9", "支气管哮喘", weight: 9, ages: 16...75, stayDays: 4...8,
                    medications: [[Medicines.budesonideFormoterol, Medicines.salmeterolFluticasone], [Medicines.montelukast]],
                    tags: ["哮喘"]),
                ConditionProfile(
                    "J47", "支气管扩张症", weight: 6, ages: 30...85, stayDays: 6...12,
                    medications: [[Medicines.acetylcysteine], [Medicines.moxifloxacin]]),
            ]),
        DepartmentProfile(
            department: Department(id: "GSUR", name: "普通外科", englishName: "General surgery", isSurgical: true),
            wards: [
                Ward(id: "GSUR-1", name: "普外科一病区", departmentID: "GSUR", bedCount: 44),
                Ward(id: "GSUR-2", name: "普外科二病区", departmentID: "GSUR", bedCount: 40),
            ],
            physicians: ["赵国庆", "黄志刚", "吴晓东", "郑海峰"],
            conditions: [
                ConditionProfile(
                    "K35.8", "急性阑尾炎", weight: 16, ages: 12...75, stayDays: 3...6,
                    medications: [[Medicines.cefuroxime], [Medicines.paracetamol]],
                    operations: [("47.01", "腹腔镜下阑尾切除术")], operatedPercent: 95,
                    complications: [(Comorbidities.woundInfection, 4)], tags: ["术后"]),
                ConditionProfile(
                    "K80.1", "胆囊结石伴慢性胆囊炎", weight: 18, ages: 30...80, stayDays: 3...6,
                    medications: [[Medicines.paracetamol]],
                    operations: [("51.23", "腹腔镜下胆囊切除术")], operatedPercent: 95,
                    complications: [(Comorbidities.woundInfection, 3)], tags: ["术后"]),
                ConditionProfile(
                    "K40.9", "单侧腹股沟疝", weight: 12, ages: 25...85, onlySex: .male, stayDays: 2...5,
                    medications: [[Medicines.paracetamol]],
                    operations: [("17.12", "腹腔镜下腹股沟斜疝无张力修补术")], operatedPercent: 95,
                    tags: ["术后"]),
                ConditionProfile(
                    "C18.2", "升结肠恶性肿瘤", weight: 8, ages: 45...85, stayDays: 10...18,
                    medications: [[Medicines.capecitabine], [Medicines.omeprazole]],
                    operations: [("17.33", "腹腔镜下右半结肠切除术")], operatedPercent: 90,
                    complications: [(Comorbidities.postOpAnaemia, 20), (Comorbidities.woundInfection, 6)],
                    tags: ["术后", "肿瘤"]),
                ConditionProfile(
                    "C16.9", "胃恶性肿瘤", weight: 7, ages: 45...85, stayDays: 12...20,
                    medications: [[Medicines.omeprazole], [Medicines.pancreatin]],
                    operations: [("43.7", "远端胃大部切除术伴胃空肠吻合术")], operatedPercent: 85,
                    complications: [(Comorbidities.postOpAnaemia, 25)], tags: ["术后", "肿瘤"]),
            ]),
        DepartmentProfile(
            department: Department(id: "ORTH", name: "骨科", englishName: "Orthopaedics", isSurgical: true),
            wards: [Ward(id: "ORTH-1", name: "骨科病区", departmentID: "ORTH", bedCount: 46)],
            physicians: ["冯振华", "邓勇", "曹建明"],
            conditions: [
                ConditionProfile(
                    "S72.0", "股骨颈骨折", weight: 14, ages: 65...95, stayDays: 7...14,
                    medications: [[Medicines.rivaroxabanProphylaxis], [Medicines.calciumVitaminD], [Medicines.alendronate]],
                    operations: [("81.52", "人工股骨头置换术"), ("79.35", "股骨骨折切开复位内固定术")],
                    operatedPercent: 92,
                    complications: [(Comorbidities.osteoporosis, 60), (Comorbidities.postOpAnaemia, 20)],
                    tags: ["术后", "骨折"]),
                ConditionProfile(
                    "M17.1", "单侧原发性膝关节骨关节炎", weight: 14, ages: 55...85, stayDays: 6...12,
                    medications: [[Medicines.rivaroxabanProphylaxis], [Medicines.celecoxib]],
                    operations: [("81.54", "全膝关节置换术")], operatedPercent: 90, tags: ["术后"]),
                ConditionProfile(
                    "M16.1", "单侧原发性髋关节骨关节炎", weight: 8, ages: 55...85, stayDays: 6...12,
                    medications: [[Medicines.rivaroxabanProphylaxis], [Medicines.celecoxib]],
                    operations: [("81.51", "全髋关节置换术")], operatedPercent: 90, tags: ["术后"]),
                ConditionProfile(
                    "M51.1", "腰椎间盘突出症伴神经根病", weight: 12, ages: 25...75, stayDays: 5...10,
                    medications: [[Medicines.celecoxib], [Medicines.mecobalamin]],
                    operations: [("80.51", "腰椎间盘切除术")], operatedPercent: 70, tags: ["术后"]),
                ConditionProfile(
                    "M48.0", "腰椎管狭窄症", weight: 8, ages: 50...85, stayDays: 8...14,
                    medications: [[Medicines.celecoxib], [Medicines.mecobalamin]],
                    operations: [("81.08", "后路腰椎椎间融合术")], operatedPercent: 75, tags: ["术后"]),
            ]),
        DepartmentProfile(
            department: Department(id: "NEUR", name: "神经内科", englishName: "Neurology", isSurgical: false),
            wards: [Ward(id: "NEUR-1", name: "神经内科病区", departmentID: "NEUR", bedCount: 42)],
            physicians: ["彭国华", "谢静", "唐志明"],
            conditions: [
                ConditionProfile(
                    "I63.9", "脑梗死", weight: 26, ages: 45...92, stayDays: 8...16,
                    medications: [[Medicines.aspirin, Medicines.clopidogrel], [Medicines.atorvastatinHigh]],
                    complications: [(Comorbidities.sequelae, 15)], tags: ["脑卒中"]),
                ConditionProfile(
                    "G45.9", "短暂性脑缺血发作", weight: 10, ages: 45...88, stayDays: 3...7,
                    medications: [[Medicines.aspirin], [Medicines.clopidogrel], [Medicines.atorvastatin]],
                    tags: ["脑卒中"]),
                ConditionProfile(
                    "I61.9", "脑出血", weight: 6, ages: 45...85, stayDays: 12...24,
                    medications: [[Medicines.amlodipine, Medicines.nifedipine]],
                    tags: ["脑卒中"]),
                ConditionProfile(
                    "G20", "帕金森病", weight: 8, ages: 55...88, stayDays: 6...12,
                    medications: [[Medicines.levodopaBenserazide], [Medicines.pramipexole]]),
                ConditionProfile(
                    "G40.9", "癫痫", weight: 6, ages: 14...70, stayDays: 4...9,
                    medications: [[Medicines.levetiracetam, Medicines.valproate]]),
            ]),
        DepartmentProfile(
            department: Department(id: "URO", name: "泌尿外科", englishName: "Urology", isSurgical: true),
            wards: [Ward(id: "URO-1", name: "泌尿外科病区", departmentID: "URO", bedCount: 36)],
            physicians: ["蒋文华", "沈建国", "韩磊"],
            conditions: [
                ConditionProfile(
                    "N20.0", "肾结石", weight: 14, ages: 25...75, stayDays: 4...8,
                    medications: [[Medicines.tamsulosin], [Medicines.potassiumCitrate]],
                    operations: [("55.04", "经皮肾镜碎石取石术")], operatedPercent: 80, tags: ["术后"]),
                ConditionProfile(
                    "N40", "良性前列腺增生", weight: 12, ages: 55...90, onlySex: .male, stayDays: 5...9,
                    medications: [[Medicines.tamsulosin], [Medicines.finasteride]],
                    operations: [("60.29", "经尿道前列腺电切术")], operatedPercent: 75, tags: ["术后"]),
                ConditionProfile(
                    "C67.9", "膀胱恶性肿瘤", weight: 6, ages: 50...88, stayDays: 6...12,
                    medications: [[Medicines.levofloxacin]],
                    operations: [("57.49", "经尿道膀胱肿瘤电切术")], operatedPercent: 90,
                    tags: ["术后", "肿瘤"]),
            ]),
    ]

    /// Allergies recorded on admission, none of them to a drug the tables prescribe.
    static let allergens: [(allergy: Allergy, weight: Int)] = [
        (Allergy(substance: "青霉素", reaction: "皮疹"), 10),
        (Allergy(substance: "磺胺类药物", reaction: "皮疹"), 4),
        (Allergy(substance: "碘造影剂", reaction: "荨麻疹"), 3),
        (Allergy(substance: "链霉素", reaction: "耳鸣"), 2),
        (Allergy(substance: "头孢曲松", reaction: "过敏性休克"), 1),
        (Allergy(substance: "海鲜", reaction: "荨麻疹"), 3),
        (Allergy(substance: "花粉", reaction: nil), 2),
        (Allergy(substance: "医用胶布", reaction: "接触性皮炎"), 2),
    ]
}
