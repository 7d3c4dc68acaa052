// Where the demo hospital's patients live. The hospital is in Shanghai, so most patients
// come from its districts and some from the neighbouring provinces. Region codes are the
// real GB/T 2260 codes, so the identity numbers built from them look like real ones.

struct HomeRegion: Sendable {
    /// GB/T 2260 county-level code, the first six digits of an identity number.
    let code: String
    /// City and district as written at the start of an address.
    let name: String
    let roads: [String]
    /// Landline area code.
    let areaCode: String
    let weight: Int
}

extension DemoHospital {
    static let homeRegions: [HomeRegion] = [
        HomeRegion(code: "310101", name: "上海市黄浦区", roads: ["淮海中路", "复兴中路", "西藏南路", "中华路"], areaCode: "021", weight: 6),
        HomeRegion(code: "310104", name: "上海市徐汇区", roads: ["漕溪北路", "肇嘉浜路", "天钥桥路", "龙华西路"], areaCode: "021", weight: 10),
        HomeRegion(code: "310105", name: "上海市长宁区", roads: ["愚园路", "天山路", "仙霞路", "虹桥路"], areaCode: "021", weight: 6),
        HomeRegion(code: "310106", name: "上海市静安区", roads: ["共和新路", "万航渡路", "延长中路", "西康路"], areaCode: "021", weight: 7),
        HomeRegion(code: "310107", name: "上海市普陀区", roads: ["曹杨路", "真北路", "武宁路", "铜川路"], areaCode: "021", weight: 7),
        HomeRegion(code: "310109", name: "上海市虹口区", roads: ["四平路", "海伦路", "曲阳路", "大连西路"], areaCode: "021", weight: 5),
        HomeRegion(code: "310110", name: "上海市杨浦区", roads: ["控江路", "国和路", "长阳路", "黄兴路"], areaCode: "021", weight: 7),
        HomeRegion(code: "310112", name: "上海市闵行区", roads: ["莘庄路", "都市路", "七莘路", "虹梅南路"], areaCode: "021", weight: 9),
        HomeRegion(code: "310113", name: "上海市宝山区", roads: ["友谊路", "牡丹江路", "共康路", "淞滨路"], areaCode: "021", weight: 6),
        HomeRegion(code: "310115", name: "上海市浦东新区", roads: ["张杨路", "浦建路", "川沙路", "东方路", "锦绣路"], areaCode: "021", weight: 14),
        HomeRegion(code: "320102", name: "江苏省南京市玄武区", roads: ["中山路", "北京东路", "珠江路"], areaCode: "025", weight: 2),
        HomeRegion(code: "320505", name: "江苏省苏州市虎丘区", roads: ["狮山路", "长江路", "竹园路"], areaCode: "0512", weight: 3),
        HomeRegion(code: "330106", name: "浙江省杭州市西湖区", roads: ["文三路", "天目山路", "教工路"], areaCode: "0571", weight: 2),
        HomeRegion(code: "340104", name: "安徽省合肥市蜀山区", roads: ["长江西路", "黄山路", "望江西路"], areaCode: "0551", weight: 2),
        HomeRegion(code: "410105", name: "河南省郑州市金水区", roads: ["花园路", "经三路", "农业路"], areaCode: "0371", weight: 1),
    ]

    /// The three-digit network prefixes of mainland mobile numbers (China Mobile,
    /// China Unicom, China Telecom), weighted roughly by market share.
    static let mobilePrefixes: [(prefix: String, weight: Int)] = [
        ("134", 2), ("135", 4), ("136", 4), ("137", 4), ("138", 5), ("139", 5),
        ("147", 1), ("150", 3), ("151", 3), ("152", 2), ("157", 1), ("158", 3), ("159", 3),
        ("182", 2), ("183", 2), ("187", 3), ("188", 2), ("198", 1),
        ("130", 2), ("131", 2), ("132", 2), ("155", 2), ("156", 2), ("166", 1), ("185", 2), ("186", 3),
        ("133", 2), ("153", 2), ("173", 1), ("177", 1), ("180", 2), ("181", 2), ("189", 3), ("199", 1),
    ]
}
