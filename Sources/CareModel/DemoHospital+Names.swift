// Name tables for the demo hospital. Each character carries the reading it has *in a
// name*: several surnames are read differently from the same character in ordinary words
// (单 shan, 曾 zeng, 解 xie, 仇 qiu, 区 ou, 朴 piao, 查 zha), which is exactly what a
// generic character-to-pinyin table gets wrong. Weights follow the rough frequency of
// surnames in mainland China (the national census lists 王, 李, 张, 刘, 陈 first).

struct NamePart: Sendable {
    let characters: String
    let syllables: [String]
    let weight: Int
}

extension DemoHospital {
    static let surnames: [NamePart] = [
        NamePart(characters: "王", syllables: ["wang"], weight: 72),
        NamePart(characters: "李", syllables: ["li"], weight: 70),
        NamePart(characters: "张", syllables: ["zhang"], weight: 66),
        NamePart(characters: "刘", syllables: ["liu"], weight: 53),
        NamePart(characters: "陈", syllables: ["chen"], weight: 46),
        NamePart(characters: "杨", syllables: ["yang"], weight: 33),
        NamePart(characters: "黄", syllables: ["huang"], weight: 25),
        NamePart(characters: "赵", syllables: ["zhao"], weight: 20),
        NamePart(characters: "吴", syllables: ["wu"], weight: 20),
        NamePart(characters: "周", syllables: ["zhou"], weight: 19),
        NamePart(characters: "徐", syllables: ["xu"], weight: 15),
        NamePart(characters: "孙", syllables: ["sun"], weight: 14),
        NamePart(characters: "马", syllables: ["ma"], weight: 13),
        NamePart(characters: "朱", syllables: ["zhu"], weight: 13),
        NamePart(characters: "胡", syllables: ["hu"], weight: 12),
        NamePart(characters: "郭", syllables: ["guo"], weight: 11),
        NamePart(characters: "何", syllables: ["he"], weight: 11),
        NamePart(characters: "林", syllables: ["lin"], weight: 10),
        NamePart(characters: "罗", syllables: ["luo"], weight: 10),
        NamePart(characters: "高", syllables: ["gao"], weight: 10),
        NamePart(characters: "郑", syllables: ["zheng"], weight: 9),
        NamePart(characters: "梁", syllables: ["liang"], weight: 9),
        NamePart(characters: "谢", syllables: ["xie"], weight: 8),
        NamePart(characters: "宋", syllables: ["song"], weight: 7),
        NamePart(characters: "唐", syllables: ["tang"], weight: 7),
        NamePart(characters: "许", syllables: ["xu"], weight: 7),
        NamePart(characters: "韩", syllables: ["han"], weight: 7),
        NamePart(characters: "冯", syllables: ["feng"], weight: 6),
        NamePart(characters: "邓", syllables: ["deng"], weight: 6),
        NamePart(characters: "曹", syllables: ["cao"], weight: 6),
        NamePart(characters: "彭", syllables: ["peng"], weight: 5),
        NamePart(characters: "曾", syllables: ["zeng"], weight: 5),
        NamePart(characters: "肖", syllables: ["xiao"], weight: 5),
        NamePart(characters: "田", syllables: ["tian"], weight: 5),
        NamePart(characters: "董", syllables: ["dong"], weight: 5),
        NamePart(characters: "潘", syllables: ["pan"], weight: 5),
        NamePart(characters: "袁", syllables: ["yuan"], weight: 5),
        NamePart(characters: "蔡", syllables: ["cai"], weight: 4),
        NamePart(characters: "蒋", syllables: ["jiang"], weight: 4),
        NamePart(characters: "余", syllables: ["yu"], weight: 4),
        NamePart(characters: "于", syllables: ["yu"], weight: 4),
        NamePart(characters: "杜", syllables: ["du"], weight: 4),
        NamePart(characters: "叶", syllables: ["ye"], weight: 4),
        NamePart(characters: "程", syllables: ["cheng"], weight: 4),
        NamePart(characters: "魏", syllables: ["wei"], weight: 4),
        NamePart(characters: "苏", syllables: ["su"], weight: 4),
        NamePart(characters: "吕", syllables: ["lü"], weight: 4),
        NamePart(characters: "丁", syllables: ["ding"], weight: 4),
        NamePart(characters: "任", syllables: ["ren"], weight: 3),
        NamePart(characters: "沈", syllables: ["shen"], weight: 3),
        NamePart(characters: "姚", syllables: ["yao"], weight: 3),
        NamePart(characters: "卢", syllables: ["lu"], weight: 3),
        NamePart(characters: "钟", syllables: ["zhong"], weight: 3),
        NamePart(characters: "崔", syllables: ["cui"], weight: 3),
        NamePart(characters: "陆", syllables: ["lu"], weight: 3),
        NamePart(characters: "顾", syllables: ["gu"], weight: 3),
        NamePart(characters: "钱", syllables: ["qian"], weight: 2),
        NamePart(characters: "薛", syllables: ["xue"], weight: 2),
        NamePart(characters: "秦", syllables: ["qin"], weight: 2),
        NamePart(characters: "邵", syllables: ["shao"], weight: 2),
        NamePart(characters: "单", syllables: ["shan"], weight: 1),
        NamePart(characters: "解", syllables: ["xie"], weight: 1),
        NamePart(characters: "仇", syllables: ["qiu"], weight: 1),
        NamePart(characters: "查", syllables: ["zha"], weight: 1),
        NamePart(characters: "欧阳", syllables: ["ou", "yang"], weight: 1),
        NamePart(characters: "司马", syllables: ["si", "ma"], weight: 1),
        NamePart(characters: "诸葛", syllables: ["zhu", "ge"], weight: 1),
    ]

    /// Given-name characters more often chosen for boys.
    static let maleGivenCharacters: [NamePart] = [
        NamePart(characters: "伟", syllables: ["wei"], weight: 6),
        NamePart(characters: "强", syllables: ["qiang"], weight: 5),
        NamePart(characters: "磊", syllables: ["lei"], weight: 4),
        NamePart(characters: "军", syllables: ["jun"], weight: 5),
        NamePart(characters: "勇", syllables: ["yong"], weight: 4),
        NamePart(characters: "杰", syllables: ["jie"], weight: 4),
        NamePart(characters: "涛", syllables: ["tao"], weight: 3),
        NamePart(characters: "明", syllables: ["ming"], weight: 5),
        NamePart(characters: "超", syllables: ["chao"], weight: 3),
        NamePart(characters: "刚", syllables: ["gang"], weight: 3),
        NamePart(characters: "建", syllables: ["jian"], weight: 5),
        NamePart(characters: "国", syllables: ["guo"], weight: 5),
        NamePart(characters: "志", syllables: ["zhi"], weight: 4),
        NamePart(characters: "斌", syllables: ["bin"], weight: 2),
        NamePart(characters: "峰", syllables: ["feng"], weight: 3),
        NamePart(characters: "鹏", syllables: ["peng"], weight: 2),
        NamePart(characters: "浩", syllables: ["hao"], weight: 3),
        NamePart(characters: "宇", syllables: ["yu"], weight: 3),
        NamePart(characters: "俊", syllables: ["jun"], weight: 2),
        NamePart(characters: "海", syllables: ["hai"], weight: 3),
        NamePart(characters: "德", syllables: ["de"], weight: 3),
        NamePart(characters: "福", syllables: ["fu"], weight: 3),
        NamePart(characters: "生", syllables: ["sheng"], weight: 3),
        NamePart(characters: "忠", syllables: ["zhong"], weight: 2),
        NamePart(characters: "庆", syllables: ["qing"], weight: 2),
        NamePart(characters: "东", syllables: ["dong"], weight: 3),
        NamePart(characters: "龙", syllables: ["long"], weight: 2),
        NamePart(characters: "兵", syllables: ["bing"], weight: 2),
        NamePart(characters: "良", syllables: ["liang"], weight: 2),
        NamePart(characters: "根", syllables: ["gen"], weight: 2),
        NamePart(characters: "宝", syllables: ["bao"], weight: 2),
    ]

    /// Given-name characters more often chosen for girls.
    static let femaleGivenCharacters: [NamePart] = [
        NamePart(characters: "芳", syllables: ["fang"], weight: 5),
        NamePart(characters: "娜", syllables: ["na"], weight: 4),
        NamePart(characters: "敏", syllables: ["min"], weight: 4),
        NamePart(characters: "静", syllables: ["jing"], weight: 5),
        NamePart(characters: "丽", syllables: ["li"], weight: 5),
        NamePart(characters: "艳", syllables: ["yan"], weight: 4),
        NamePart(characters: "娟", syllables: ["juan"], weight: 3),
        NamePart(characters: "霞", syllables: ["xia"], weight: 4),
        NamePart(characters: "秀", syllables: ["xiu"], weight: 5),
        NamePart(characters: "英", syllables: ["ying"], weight: 5),
        NamePart(characters: "兰", syllables: ["lan"], weight: 4),
        NamePart(characters: "玉", syllables: ["yu"], weight: 4),
        NamePart(characters: "梅", syllables: ["mei"], weight: 4),
        NamePart(characters: "琴", syllables: ["qin"], weight: 3),
        NamePart(characters: "燕", syllables: ["yan"], weight: 3),
        NamePart(characters: "婷", syllables: ["ting"], weight: 3),
        NamePart(characters: "雪", syllables: ["xue"], weight: 2),
        NamePart(characters: "慧", syllables: ["hui"], weight: 3),
        NamePart(characters: "萍", syllables: ["ping"], weight: 3),
        NamePart(characters: "凤", syllables: ["feng"], weight: 3),
        NamePart(characters: "珍", syllables: ["zhen"], weight: 3),
        NamePart(characters: "桂", syllables: ["gui"], weight: 3),
        NamePart(characters: "淑", syllables: ["shu"], weight: 2),
        NamePart(characters: "琳", syllables: ["lin"], weight: 2),
        NamePart(characters: "颖", syllables: ["ying"], weight: 2),
        NamePart(characters: "倩", syllables: ["qian"], weight: 2),
        NamePart(characters: "洁", syllables: ["jie"], weight: 2),
        NamePart(characters: "莉", syllables: ["li"], weight: 2),
        NamePart(characters: "欣", syllables: ["xin"], weight: 2),
        NamePart(characters: "蕾", syllables: ["lei"], weight: 1),
    ]

    /// Characters given to boys and girls alike.
    static let sharedGivenCharacters: [NamePart] = [
        NamePart(characters: "华", syllables: ["hua"], weight: 4),
        NamePart(characters: "平", syllables: ["ping"], weight: 3),
        NamePart(characters: "文", syllables: ["wen"], weight: 3),
        NamePart(characters: "红", syllables: ["hong"], weight: 3),
        NamePart(characters: "荣", syllables: ["rong"], weight: 2),
        NamePart(characters: "春", syllables: ["chun"], weight: 3),
        NamePart(characters: "林", syllables: ["lin"], weight: 2),
        NamePart(characters: "云", syllables: ["yun"], weight: 2),
        NamePart(characters: "晓", syllables: ["xiao"], weight: 3),
        NamePart(characters: "佳", syllables: ["jia"], weight: 2),
        NamePart(characters: "振", syllables: ["zhen"], weight: 1),
    ]

    /// Foreign patients as a hospital in Shanghai sees them: residents and visitors whose
    /// passports carry only a Latin-script name.
    static let foreignGivenNames: [(name: String, sex: Sex)] = [
        ("John", .male), ("David", .male), ("Michael", .male), ("Thomas", .male),
        ("Pierre", .male), ("Hans", .male), ("Hiroshi", .male), ("Ahmed", .male),
        ("Sarah", .female), ("Maria", .female), ("Anna", .female), ("Olga", .female),
        ("Yuki", .female), ("Priya", .female), ("Emma", .female), ("Sophie", .female),
    ]

    static let foreignFamilyNames: [String] = [
        "Smith", "Johnson", "Miller", "Brown", "Dubois", "Martin", "Becker", "Schneider",
        "Tanaka", "Suzuki", "Hassan", "Ivanova", "Sharma", "Garcia", "Rossi", "Nguyen",
    ]

    /// Hong Kong patients: a Chinese name plus the Cantonese romanisation printed on
    /// their travel permit, so the demo also has patients with both kinds of name.
    static let hongKongPatients: [(chinese: String, syllables: [String], latin: String, sex: Sex)] = [
        ("陈大文", ["chen", "da", "wen"], "CHAN Tai Man", .male),
        ("李嘉欣", ["li", "jia", "xin"], "LEE Ka Yan", .female),
        ("黄志明", ["huang", "zhi", "ming"], "WONG Chi Ming", .male),
        ("张美玲", ["zhang", "mei", "ling"], "CHEUNG Mei Ling", .female),
        ("吴家豪", ["wu", "jia", "hao"], "NG Ka Ho", .male),
        ("何慧敏", ["he", "hui", "min"], "HO Wai Man", .female),
    ]
}
