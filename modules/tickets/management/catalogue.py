"""What the operations room deals with around Al-Masjid an-Nabawi: priorities and their times,
incident categories (with what people write and how agencies answer), zones, gates and
landmarks with their rough real coordinates, and the season's escalation ladder.

Shared by `seed_tickets` (codes prefixed `seed-`) and the demo (`load_demo`), so the demo and
the benchmark speak of the same things. Agency codes are those of `fixtures/agencies.json`.
"""

from dataclasses import dataclass

from ..models import LandmarkKind, Recipients, Target


@dataclass(frozen=True)
class PrioritySpec:
    code: str
    name_ar: str
    name_en: str
    rank: int
    colour: str
    acknowledge_minutes: int
    resolve_minutes: int


PRIORITIES = [
    PrioritySpec("critical", "حرجة", "Critical", 0, "#b42318", 5, 30),
    PrioritySpec("high", "عالية", "High", 1, "#dc6803", 10, 60),
    PrioritySpec("medium", "متوسطة", "Medium", 2, "#ca8504", 20, 180),
    PrioritySpec("low", "منخفضة", "Low", 3, "#1570ef", 60, 480),
]


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name_ar: str
    name_en: str
    description_ar: str
    description_en: str
    priority: str
    # Agencies (fixtures/agencies.json codes) that take these reports, first one first.
    agencies: tuple[str, ...]
    # What reporters write, in Arabic and in English.
    reports: tuple[tuple[str, str], ...]
    # What the agency writes when it resolves one.
    resolutions: tuple[str, ...]
    weight: int = 10
    is_public: bool = True
    routed: bool = True


CATEGORIES = [
    CategorySpec(
        "crowding",
        "ازدحام وتكدس",
        "Crowding",
        "تكدس الزوار عند الأبواب أو في الساحات أو الممرات.",
        "Visitors packed at gates, in the plazas or the walkways.",
        "high",
        ("haramain-authority", "mosque-security"),
        (
            (
                "تكدس شديد للزوار عند الباب وتدافع عند الدخول",
                "Heavy crowding at the gate, pushing at the entrance",
            ),
            (
                "الممر مغلق بالزوار ولا يوجد منظمون",
                "The walkway is blocked by visitors and there are no stewards",
            ),
            (
                "ازدحام كبير بعد صلاة العصر وكبار السن لا يستطيعون المرور",
                "Big crowd after Asr prayer, elderly people cannot get through",
            ),
        ),
        ("تم توجيه المنظمين وفتح مسار بديل", "تم تخفيف الازدحام بتحويل الدخول إلى الباب المجاور"),
        weight=22,
    ),
    CategorySpec(
        "lost-pilgrim",
        "حاج تائه",
        "Lost pilgrim",
        "زائر أو حاج فقد مجموعته أو لا يعرف طريق سكنه.",
        "A visitor or pilgrim separated from their group or unable to find their lodging.",
        "high",
        ("wayfinding-volunteers", "adilla", "police"),
        (
            (
                "حاج كبير في السن تائه ولا يعرف اسم الفندق",
                "An elderly pilgrim is lost and does not know the hotel's name",
            ),
            (
                "امرأة فقدت مجموعتها عند الباب وتتحدث الأوردية فقط",
                "A woman lost her group at the gate and speaks only Urdu",
            ),
            ("طفل منفصل عن والديه قرب الساحة", "A child separated from the parents near the plaza"),
        ),
        ("تم إيصال الحاج إلى مقر بعثته", "تم التواصل مع المجموعة وتسليمه لمرشدها"),
        weight=16,
    ),
    CategorySpec(
        "medical",
        "حالة صحية طارئة",
        "Medical emergency",
        "إغماء أو إجهاد حراري أو إصابة تحتاج إسعافًا.",
        "Fainting, heat exhaustion or an injury that needs first aid.",
        "critical",
        ("red-crescent", "madinah-health-cluster", "central-health-centres"),
        (
            ("حاج سقط مغمى عليه من الحر", "A pilgrim fainted in the heat"),
            ("إصابة في القدم بعد سقوط على الدرج", "A foot injury after a fall on the stairs"),
            ("مسن يعاني ضيقًا في التنفس", "An elderly man has trouble breathing"),
        ),
        ("تم الإسعاف في الموقع ونقل الحالة إلى المستشفى", "تمت معالجة الحالة ميدانيًا وهي مستقرة"),
        weight=14,
    ),
    CategorySpec(
        "fire",
        "حريق أو دخان",
        "Fire or smoke",
        "دخان أو رائحة احتراق أو حريق.",
        "Smoke, a burning smell or a fire.",
        "critical",
        ("civil-defence",),
        (
            (
                "دخان يخرج من غرفة كهرباء قرب المواقف",
                "Smoke coming out of an electrical room near the car park",
            ),
            ("رائحة احتراق قوية في الممر", "A strong burning smell in the walkway"),
        ),
        ("تمت السيطرة ولا توجد إصابات", "فحص الدفاع المدني الموقع وكان المصدر عطلًا كهربائيًا بسيطًا"),
        weight=3,
    ),
    CategorySpec(
        "cleanliness",
        "نظافة",
        "Cleanliness",
        "مخلفات أو انسكاب أو حاويات ممتلئة.",
        "Litter, spills or full bins.",
        "low",
        ("central-area-cleaning", "amanah"),
        (
            ("حاويات النفايات ممتلئة في الساحة", "The bins in the plaza are full"),
            ("انسكاب مياه على الأرضية وخطر انزلاق", "Water spilled on the floor, risk of slipping"),
        ),
        ("تم التنظيف وتفريغ الحاويات", "تم تجفيف الأرضية ووضع لوحة تحذير"),
        weight=10,
    ),
    CategorySpec(
        "transport",
        "نقل ومواصلات",
        "Transport",
        "تأخر الحافلات أو ازدحام المحطات أو مشكلات النقل الترددي.",
        "Late buses, crowded stops or shuttle problems.",
        "medium",
        ("transport-authority", "madinah-buses", "saptco"),
        (
            ("الحافلة الترددية لم تصل منذ ساعة", "The shuttle bus has not come for an hour"),
            ("محطة الحافلات مزدحمة ولا توجد مظلات", "The bus stop is crowded and has no shade"),
        ),
        ("تمت إضافة حافلات على المسار", "تم تنظيم الطابور وإرسال حافلة إضافية"),
        weight=8,
    ),
    CategorySpec(
        "lost-property",
        "مفقودات",
        "Lost property",
        "حقيبة أو جواز أو هاتف مفقود.",
        "A lost bag, passport or phone.",
        "low",
        ("haramain-authority", "police"),
        (
            ("فقدت حقيبة يد فيها جواز السفر", "I lost a handbag with my passport in it"),
            ("هاتف جوال مفقود قرب دورات المياه", "A mobile phone lost near the toilets"),
        ),
        ("عُثر على الغرض وسُلّم لصاحبه", "سُجّل البلاغ لدى إدارة المفقودات"),
        weight=6,
    ),
    CategorySpec(
        "water",
        "سقيا وزمزم",
        "Water and Zamzam",
        "نفاد ماء زمزم أو تعطل برادات المياه.",
        "Zamzam water run out or water coolers out of order.",
        "medium",
        ("zamzam-project", "suqya-water", "national-water"),
        (
            (
                "حافظات زمزم فارغة في الممر الشمالي",
                "The Zamzam containers are empty in the north walkway",
            ),
            ("برادة المياه لا تعمل", "The water cooler does not work"),
        ),
        ("تمت تعبئة الحافظات", "تم إصلاح البرادة"),
        weight=6,
    ),
    CategorySpec(
        "facilities",
        "دورات المياه والمرافق",
        "Toilets and facilities",
        "أعطال في دورات المياه أو المصاعد أو السلالم الكهربائية.",
        "Faults in toilets, lifts or escalators.",
        "medium",
        ("amanah", "haramain-authority"),
        (
            ("دورات المياه مغلقة ولا يوجد بديل قريب", "The toilets are closed with none nearby"),
            (
                "السلم الكهربائي متوقف والناس يتزاحمون على الدرج",
                "The escalator has stopped and people crowd on the stairs",
            ),
        ),
        ("تم إصلاح العطل", "تم فتح دورات المياه البديلة وتوجيه الزوار إليها"),
        weight=7,
    ),
    CategorySpec(
        "security",
        "أمن وسلامة",
        "Security",
        "مشاجرة أو اشتباه أو باعة متجولون يعيقون الحركة.",
        "A fight, a suspicion or street vendors blocking the way.",
        "high",
        ("police", "mosque-security", "security-operations-911"),
        (
            ("مشادة بين زوار عند المدخل", "An argument between visitors at the entrance"),
            ("باعة متجولون يسدون الممر", "Street vendors are blocking the walkway"),
        ),
        ("باشرت الدورية الموقع وانتهى الموقف", "تم إبعاد الباعة وفتح الممر"),
        weight=5,
    ),
    CategorySpec(
        "accessibility",
        "عربات وذوو الإعاقة",
        "Wheelchairs and accessibility",
        "طلب عربة أو مساعدة لكبير سن أو شخص ذي إعاقة.",
        "A wheelchair or help needed for an elderly or disabled person.",
        "medium",
        ("disability-care-society", "haramain-authority"),
        (
            (
                "نحتاج عربة لحاجة مسنة عند الباب",
                "We need a wheelchair for an elderly woman at the gate",
            ),
            (
                "شخص كفيف يحتاج من يرافقه إلى الروضة",
                "A blind man needs someone to take him to the Rawdah",
            ),
        ),
        ("تم توفير عربة ومرافق", "رافقه متطوع حتى وصل"),
        weight=5,
    ),
    CategorySpec(
        "other",
        "بلاغ آخر",
        "Something else",
        "ما لا يندرج تحت الفئات الأخرى؛ توجهه غرفة العمليات.",
        "Anything else; the operations room routes it.",
        "medium",
        (),
        (
            ("مكبر الصوت في الساحة لا يعمل", "The loudspeaker in the plaza does not work"),
            ("الإنارة مطفأة في الممر", "The lights are off in the walkway"),
        ),
        ("أحيل إلى الجهة المختصة وعولج", "تم الإصلاح"),
        weight=3,
        routed=False,
    ),
]


@dataclass(frozen=True)
class ZoneSpec:
    code: str
    name_ar: str
    name_en: str


ZONES = [
    ZoneSpec("central", "المسجد النبوي", "The Prophet's Mosque"),
    ZoneSpec("north", "الساحات الشمالية", "North plazas"),
    ZoneSpec("south", "الساحات الجنوبية", "South plazas"),
    ZoneSpec("east", "الساحات الشرقية والبقيع", "East plazas and Al-Baqi"),
    ZoneSpec("west", "الساحات الغربية", "West plazas"),
    ZoneSpec("quba", "قباء", "Quba"),
    ZoneSpec("uhud", "أحد وسيد الشهداء", "Uhud and Sayed Al-Shuhada"),
    ZoneSpec("hubs", "محطات النقل", "Transport hubs"),
]


@dataclass(frozen=True)
class LandmarkSpec:
    zone: str
    kind: str
    name_ar: str
    name_en: str
    latitude: str
    longitude: str


# Rough real positions (WGS 84), enough for a map of the central area.
LANDMARKS = [
    LandmarkSpec(
        "central", LandmarkKind.GATE, "باب السلام", "Bab Al-Salam", "24.466500", "39.610400"
    ),
    LandmarkSpec("central", LandmarkKind.GATE, "باب جبريل", "Bab Jibril", "24.466900", "39.611900"),
    LandmarkSpec(
        "central", LandmarkKind.GATE, "باب النساء", "Bab Al-Nisa", "24.467450", "39.611950"
    ),
    LandmarkSpec(
        "central", LandmarkKind.GATE, "باب الرحمة", "Bab Al-Rahmah", "24.467000", "39.610200"
    ),
    LandmarkSpec(
        "central", LandmarkKind.GATE, "باب الصديق", "Bab Al-Siddiq", "24.467550", "39.610100"
    ),
    LandmarkSpec(
        "central",
        LandmarkKind.LANDMARK,
        "الروضة الشريفة",
        "Al-Rawdah Al-Sharifah",
        "24.467250",
        "39.611400",
    ),
    LandmarkSpec(
        "north", LandmarkKind.GATE, "باب الملك فهد", "King Fahd Gate", "24.469650", "39.611200"
    ),
    LandmarkSpec(
        "north",
        LandmarkKind.AREA,
        "ساحة المظلات الشمالية",
        "North umbrella plaza",
        "24.469300",
        "39.611500",
    ),
    LandmarkSpec(
        "north", LandmarkKind.AREA, "المواقف الشمالية", "North car park", "24.470200", "39.610100"
    ),
    LandmarkSpec(
        "south", LandmarkKind.AREA, "الساحة الجنوبية", "South plaza", "24.465400", "39.611300"
    ),
    LandmarkSpec(
        "south",
        LandmarkKind.LANDMARK,
        "مسجد الغمامة",
        "Al-Ghamama Mosque",
        "24.464700",
        "39.608400",
    ),
    LandmarkSpec("east", LandmarkKind.GATE, "باب البقيع", "Bab Al-Baqi", "24.466900", "39.613100"),
    LandmarkSpec(
        "east", LandmarkKind.LANDMARK, "مقبرة البقيع", "Al-Baqi Cemetery", "24.466900", "39.614600"
    ),
    LandmarkSpec(
        "west",
        LandmarkKind.GATE,
        "باب الملك عبدالعزيز",
        "King Abdulaziz Gate",
        "24.467200",
        "39.609800",
    ),
    LandmarkSpec(
        "west", LandmarkKind.AREA, "الساحة الغربية", "West plaza", "24.467800", "39.609200"
    ),
    LandmarkSpec(
        "quba", LandmarkKind.LANDMARK, "مسجد قباء", "Quba Mosque", "24.439300", "39.617300"
    ),
    LandmarkSpec(
        "quba", LandmarkKind.AREA, "ساحة مسجد قباء", "Quba Mosque plaza", "24.439900", "39.616500"
    ),
    LandmarkSpec(
        "uhud",
        LandmarkKind.LANDMARK,
        "مسجد سيد الشهداء",
        "Sayed Al-Shuhada Mosque",
        "24.503700",
        "39.612000",
    ),
    LandmarkSpec(
        "uhud", LandmarkKind.LANDMARK, "جبل الرماة", "Mount Al-Rumah", "24.502300", "39.612500"
    ),
    LandmarkSpec(
        "hubs",
        LandmarkKind.LANDMARK,
        "محطة قطار الحرمين",
        "Haramain railway station",
        "24.554200",
        "39.573500",
    ),
    LandmarkSpec(
        "hubs",
        LandmarkKind.LANDMARK,
        "مطار الأمير محمد بن عبدالعزيز",
        "Prince Mohammad bin Abdulaziz Airport",
        "24.553400",
        "39.705100",
    ),
]


@dataclass(frozen=True)
class StepSpec:
    target: str
    percent: int
    minutes_after: int
    recipients: str
    by_sms: bool = False


# The example: at 75 % warn the agency's team; at the breach tell its managers (also
# by SMS); half an hour after it the committee's duty supervisor.
LADDER = [
    StepSpec(Target.RESOLVE, 75, 0, Recipients.AGENCY_TEAM),
    StepSpec(Target.RESOLVE, 100, 0, Recipients.AGENCY_MANAGERS, by_sms=True),
    StepSpec(Target.RESOLVE, 100, 30, Recipients.PERSON),
]

POLICY_NAME_AR = "سياسة الموسم (على مدار الساعة)"
POLICY_NAME_EN = "Season policy (24/7)"

REPORTERS = [
    "عبدالرحمن الحربي",
    "فاطمة الجهني",
    "محمد إقبال",
    "عائشة عبدالله",
    "Ahmed Khan",
    "Siti Rahma",
    "يوسف المحمدي",
    "Ibrahim Diallo",
]

# What agencies and the room write along the way.
PAUSE_REASONS = ("بانتظار وصول فرقة الدفاع المدني", "الموقع مغلق مؤقتًا بأمر الأمن")
REASSIGN_REASON = "ليست من اختصاص الجهة"
COMMENTS = ("الفرقة في الطريق إلى الموقع", "تم التواصل مع المبلّغ", "نحتاج دعمًا إضافيًا")
