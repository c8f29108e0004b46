"""Crisis phrases per language and tier: regular expressions over the detector's key, plus word lists.

Write patterns as people write, in lower case: accents, apostrophes and doubled letters are fine, they are
folded away in the patterns exactly as in the text ("don't" = "dont", "j'ai" = "j ai", "müde" = "mude",
"kill" = "kil"). The key is plain words separated by single spaces; there is no punctuation in it.

Every top-level alternative of a pattern starts with \b. The detector reads each alternative's literal
beginning ("want to", "suicid") off the pattern and tries the alternative only when a word of the message
begins so; `anchors` are needed only where no such beginning exists (a pattern that starts with a number).
`guard` says what may set a match aside (see `Guard`); `unless` is an idiom that, right after the match,
makes it harmless ("want to die *of embarrassment*").

Rule ids are "<language>.<tier>.<name>"; a rule about someone else is named "other_person".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

IMMINENT, SELF_HARM, IDEATION = "imminent", "self_harm", "ideation"


class Guard(enum.Enum):
    NONE = "none"  # the phrase stands on its own, or carries its own negation ("I don't want to live")
    DENIAL = "denial"  # set aside when denied ("I would never hurt myself") or past and resolved
    TOPIC = "topic"  # a mention ("suicidal", "self-harm"): also set aside in talk about a film, a question
    PAST = "past"  # an act or preparation: set aside only as a memory ("a year ago I had the pills ready. today …")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: str
    guard: Guard = Guard.NONE
    unless: str | None = None
    anchors: tuple[str, ...] = ()  # only for alternatives whose first words cannot be read off the pattern


# --- Word lists for the guards (all languages at once: people mix them) -----------------------------------

# A denial just before a guarded phrase sets it aside.
DENIALS = """
    not never no dont didnt doesnt wont wouldnt isnt arent wasnt werent havent hasnt hadnt shouldnt nor
    without nothing none zero hardly stopped quit
    nunca jamas ni tampoco sin ningun ninguna ninguno nada
    nicht nie niemals kein keine keinen keiner keinem keines keinerlei ohne nichts
    pas jamais plus sans aucun aucune rien ne n
"""
# "no one cares", "no point", "de plus en plus", "kein Sinn": no denial of what follows.
NOT_A_DENIAL = (
    "no one", "no point", "no reason", "no matter", "no future", "no hope", "no idea", "no sense",
    "no purpose", "no meaning", "no way", "no energy", "no strength", "plus en", "nothing left",
    "n i",  # a stray letter n before an English "I" is no French elision
)  # fmt: skip
# Words a denial reaches over: pronouns, auxiliaries, modal verbs, "want", "thoughts", "urge", articles ...
LIGHT = """
    i im ive id me my you we he she they it its is am are was were be been being have has had having do does
    did will would could should can might may must going gonna to want wanna wanted feel felt feeling like
    think thought thinking thoughts about of any ever even really actually honestly truly seriously
    currently anymore longer more once at all a an the that just intend intention intentions plan plans
    planning urge urges desire wish need try trying tried get getting dark had ever
    yo me te lo la le mi tengo tenia tener he ha has hay voy vas va a de en que quiero queria quisiera
    pienso pensado pensar pense pensaba ganas idea ideas pensamientos intencion mas ya realmente estoy
    soy es esta siento deseo haria podria pensaria querria volver tuve tenido el los las un una unos unas hecho
    ich mich mir du er sie es wir habe hab hatte bin war will wollte mochte wurde werde kann konnte muss soll
    mehr noch daran daruber an uber gedanken absicht lust drang wirklich einfach je jemals zu den das die
    der dem ein eine einen mal gar auch schon gerade momentan gehabt
    je j me m moi te t tu il elle on nous ai as avais avait suis est etais vais veux voulais voudrais pense
    pensais pensee pensees idee idees envie intention de d du des au en le la les l y vraiment encore un une eu ete
"""
# Words that end the reach of a denial or a past tense: "not ok *and* I want to die".
STOPS = """
    and but yet though although however or because so then
    y pero sino aunque o porque pues
    und aber sondern obwohl doch oder weil denn
    et mais pourtant cependant ou parce car donc
"""
# Past tense or "used to" just before a guarded phrase: set aside only if a resolution follows.
PAST = """
    used wanted was were had thought tried felt once
    antes queria quise pensaba tenia tuve estaba
    fruher wollte hatte dachte war damals
    avant voulais pensais avais etais autrefois
"""
RESOLVED = (
    r"\b(?:now|today|these days|nowadays|ahora|hoy|jetzt|heute|inzwischen|mittlerweile|maintenant|"
    r"aujourd'hui|desormais)\b.{0,30}\b(?:better|good|fine|ok|okay|great|happy|well|hopeful|mejor|bien|"
    r"besser|gut|mieux)\b"
    r"|\b(?:havent|hasnt|not|no)(?: \w+)? (?:since|anymore|any more|longer)\b"
    r"|\b(?:been|its been) (?:ages|forever|a long time) since\b"
    r"|\b(?:been|its been) (?:over |more than |almost |nearly )?(?:a|an|one|two|three|\d+|several|many|a few) (?:years?|months?)\b|\b(?:clean|free) for\b|\b(?:years?|months?|weeks?) (?:clean|free)\b|\bllevo .{0,20}\b(?:limpi[oa]|sin)\b"
    r"|\bya no\b|\bnicht mehr\b|\bne .{0,25}\bplus\b|\bplus depuis\b|\b(?:gone|behind me|in the past|vorbei|pasado)\b"
)
# A time in the past named before the phrase: with a later contrast ("today", "now") the phrase is a memory.
PAST_ANCHOR = (
    r"\b(?:(?:\d+|a|an|one|two|three|four|five|six|ten|a few|several|many) (?:years?|months?|weeks?) ago|a while ago|"
    r"last (?:year|spring|summer|autumn|fall|winter)|in (?:19|20)\d\d|back in|back then|in my (?:teens|twenties|20s|30s)|"
    r"when i was|as a (?:teen|teenager|kid)|at (?:uni|university|school|college)|my darkest|old me|"
    r"before (?:the|my) (?:infusions?|ketamine|treatment|therapy)|"
    r"hace (?:\w+ )?(?:anos|meses|semanas)|el ano pasado|cuando (?:era|tenia|estaba)|en (?:19|20)\d\d|de (?:adolescente|joven)|"
    r"antes de (?:las|la|el|los|empezar) ?(?:infusiones|ketamina|tratamiento|terapia)?|hubo (?:un tiempo|una epoca)|"
    r"vor (?:\w+ )?(?:jahren|monaten|wochen)|letztes jahr|damals|als (?:ich|teenager|jugendliche)|im jahr (?:19|20)\d\d|"
    r"vor der (?:behandlung|ketamin|therapie)|"
    r"il y a (?:\w+ )?(?:ans|mois|semaines)|l an dernier|l annee derniere|quand j etais|ado|adolescente?|a \d+ ans|"
    r"avant (?:les|la|le|mon|ma) (?:perfusions?|ketamine|traitement|therapie))\b"
)
# After such a time: the writer contrasts it with today.
CONTRAST = (
    r"\b(?:today|now|these days|nowadays|this (?:year|spring|summer|autumn|winter)|im \d+ now|hoy|ahora|"
    r"hoy en dia|este ano|heute|jetzt|inzwischen|mittlerweile|dieses jahr|aujourd hui|maintenant|desormais|"
    r"cette annee|cet (?:hiver|ete))\b"
)
BACK_AGAIN = (
    r"\b(?:still|again|back|returning|creeping|sometimes|some days|lately|todavia|aun|otra vez|de nuevo|"
    r"vuelto|vuelve|a veces|noch|wieder|manchmal|zuruck|encore|toujours|revient|reviennent|parfois)\b"
)
# In the same sentence before a topic phrase: talk about a work, a question, someone's death.
TOPIC_CONTEXT = """
    documentary movie film films book novel article podcast series show episode song lyrics lecture course
    training seminar study research paper news asked asks asking ask question questions questionnaire
    survey form screening died old past previous former anniversary
    pelicula libro novela documental serie cancion articulo noticia pregunto preguntaron pregunta
    preguntas cuestionario murio fallecio
    buch roman doku dokumentation artikel lied gefragt fragte fragt frage fragebogen starb gestorben
    livre documentaire emission chanson demande demandait decede
"""
# Right after a topic phrase: it is over, or the answer was no.
TOPIC_AFTER = (
    r" (?:none|nope|zero|nada|ninguno|ninguna|keine|keiner|aucune|aucun|no\b(?! one| idea| way))"
    r"| (?:thoughts? |ideation |gedanken )?(?:are|is|have|has|were|sind|ist|se|ont|sont)? ?(?:gone|over|"
    r"fading|less|away|weg|vorbei|verschwunden|fueron|desaparecido|disparu|parties)\b"
)


# --- Shared fragments -------------------------------------------------------------------------------------

_ME = r"(?:myself|my ?self|meself)"
_PILLS = (
    r"(?:pills|tablets|meds|medication|medications|medicine|sleeping pills|sleeping tablets|painkillers|"
    r"antidepressants|benzos|opioids|insulin|paracetamol|tylenol|sertraline|lithium|\w+ pills)"
)
_SOON = (
    r"(?:tonight|today|now|right now|this (?:evening|afternoon|morning|weekend|week)|tomorrow|soon|"
    r"after (?:work|dinner|everyone|they|my|the kids)|when (?:everyone|they|my \w+) (?:is|are|goes|go|leaves?))"
)
_ACT_EN = (
    r"(?:kill " + _ME + r"|end (?:it all|my life|everything|it(?! with| off| for| early| here| now))|take my "
    r"(?:own )?life(?! back)|commit suicide|"
    r"unalive "
    + _ME
    + r"|jump (?:off|from|in front of) (?:the|a) \w+|overdose|hang "
    + _ME
    + r"|shoot "
    + _ME
    + r"|die(?! (?:of|from|laughing|happy|trying|inside))|drive (?:off|into) (?:the|a) \w+|go through with it)"
)
_METHOD_EN = (
    r"(?:kill " + _ME + r"|hang " + _ME + r"|shoot " + _ME + r"|drown " + _ME + r"|suffocate " + _ME + r"|overdose|od|"
    r"slit my wrists|cut my wrists|jump off (?:a|the) \w+(?: \w+)?|end it|end my life|die|commit suicide)"
)
_OTHERS_EN = (
    r"(?:friend|sister|brother|mom|mum|mother|dad|father|son|daughter|partner|wife|husband|girlfriend|"
    r"boyfriend|fiance|fiancee|roommate|flatmate|cousin|colleague|coworker|kid|child|teen|teenager|niece|"
    r"nephew|aunt|uncle|grandma|grandpa|grandson|granddaughter|patient|client|student|he|she|they)"
)
_OTHERSELF_EN = r"(?:herself|himself|themselves|themself)"
_FILL_DE = r"(?:(?!(?:nicht|nie|niemals|kein|keine|keinen|kaum)\b)\w+ ){0,3}?"
_FILL_FR = r"(?:(?!(?:pas|plus|jamais|point|ne|n|guere|rien)\b)\w+ ){0,3}?"
_LEISURE = (
    r".{0,30}\b(?:fixing|repairing|cleaning|party|bbq|barbecue|sunbathing|view|stars|sunset|drink|drinks|"
    r"picnic|photos?|pictures?|walk|jog|bike|cycling|tour|date|friends|kids|dog|club|game|tournament|class|"
    r"lessons?|night out)\b"
)
_ROUTINE = (
    r".{0,25}\b(?:for today|for the day|this morning|tonight as usual|as prescribed|like the doctor said|"
    r"with breakfast|with dinner|as usual|like always|like every day|vitamins?|de hoy|de la manana|"
    r"de la noche|de la tarde|como dijo|como siempre|como me dijo|ce matin|ce soir comme|comme prevu|"
    r"comme prescrit|comme d'habitude|wie verordnet|wie immer|heute morgen|wie vom arzt|wie besprochen|"
    r"wie vereinbart|wie angeordnet|wie verschrieben|wie abgesprochen|wie jeden tag)\b"
)
_COMMUTE = (
    r".{0,30}\b(?:traffic|jam|stuck|late|on my way|away from|minutes|driving|bus|train to|commute|clinic|"
    r"work|stau|verspate|spater|unterwegs|atasco|tarde|camino|bouchons?|trafic|retard|en route)\b"
)
_FOR_NOW = (
    r"(?: (?:for|de|fur|pour) (?:today|tonight|now|the day|the week|this week|hoy|heute|ce soir|"
    r"aujourd'hui|la semana|la journee)\b| before (?:bed|sleep)\b|.{0,12}\b(?:good ?night|see you|"
    r"buenas noches|hasta manana|gute nacht|bis morgen|bonne nuit|a demain)\b)"
)
_ACCIDENT_EN = (
    r"(?: (?:a|some)(?: \w+)? (?:slice|piece|bit|cup|plate|drink|sandwich)\b| on (?:the|a|an|my) (?:oven|stove|"
    r"pan|kettle|iron|grill|tray|door|corner|table|glass|knife|edge|fire|bbq|hob|curling)\b| (?:while|when) "
    r"\w+ing\b| (?:cooking|shaving|playing|running|lifting|training|gardening|chopping|cutting|hiking|climbing)\b"
    r"| on (?:the|a|an|my|some|broken) \w+"
    r"| (?:by accident|accidentally|by mistake)\b| in the (?:kitchen|garden|gym)\b| at (?:the gym|work)\b)"
)

RULES: dict[str, dict[str, list[Rule]]] = {
    "en": {
        IMMINENT: [
            Rule(
                # Someone else's act under way: the writer needs to know how to help, at once.
                "other_person",
                r"\b(?:"
                + _OTHERS_EN
                + r")\b.{0,40}\b(?:took|has taken|swallowed|downed) (?:all|all of|a whole bottle of|"
                r"the whole bottle of|a bottle of|the whole pack of|a whole pack of|too many|a lot of|a bunch of|"
                r"a handful of|loads of|dozens of|everything in) (?:of )?(?:his |her |their |the |those |these )?(?:"
                + _PILLS
                + r"|medicine cabinet)\b|\b(?:she|he|they|"
                + _OTHERS_EN
                + r") (?:just |has |have )?(?:overdosed|odd|"
                r"taken an overdose|took an overdose)\b",
                unless=_ROUTINE,
            ),
            Rule(
                "plan_time",
                r"\b(?:(?:im |i am |im just )?(?:going to|gonna|about to|ready to)|i will|i'll|i shall) "
                + _ACT_EN
                + r"\b.{0,30}\b"
                + _SOON
                + r"\b"
                r"|\b"
                + _SOON
                + r" (?:is the (?:night|day) (?:i|im)|i(?:m| am)? (?:going to|gonna|will)|ill) "
                + _ACT_EN
                + r"\b|\b(?:tonight|today)(?: is|s) the (?:night|day)\b.{0,30}\b(?:i die|i end it|i do it|i kill)",
                unless=r" with\b| (?:for|in) (?:the|my) (?:gym|job|race|exam|test|class)\b",
            ),
            Rule(
                "stated_intent",
                r"\b(?:im|i am|im just|im really|i am really) (?:going to|gonna|about to) (?:kill "
                + _ME
                + r"|end my life|take my (?:own )?life|commit suicide|unalive "
                + _ME
                + r"|end it all|end it)\b"
                r"|\bsuicide (?:tonight|today|now)\b|\b(?:planning|plan|going|gonna) to overdose\b",
                unless=r" (?:with|off|early|for now|here|on a good note|at work|soon enough)\b",
            ),
            Rule(
                "plan",
                r"\b(?:have|got|made|worked out|figured out) (?:a|the|my) plan (?:to|for how to|how to|for) "
                r"(?:kill " + _ME + r"|end (?:it|my life)|die|do it|suicide|overdose)\b"
                r"|\bplanned (?:how|when|where) (?:to|i will|ill|im going to) (?:die|end it|kill " + _ME + r"|do it)\b"
                r"|\b(?:decided|know|worked out|figured out|chose|chosen|picked) (?:how and when|when and how|exactly how"
                r"|the (?:date|day) (?:i|to))\b|\bhave a plan and (?:im|i am) (?:going to|gonna) (?:do it|go through)"
                r"|\b(?:doing|do) it (?:tonight|today|now)\b.{0,40}\b(?:everything|all) (?:ready|i need|prepared|planned|set)\b"
                r"|\b(?:doing|do) it (?:tonight|today|now)\b.{0,40}\b(?:made up my mind|decided|mind is made up|no going back|goodbye|sorry)\b|\b(?:made up my mind|decided|mind is made up)\b.{0,40}\b(?:doing|do) it (?:tonight|today|now)\b|\b(?:tomorrow|by tomorrow|tonight|by morning|soon) i (?:wont|will not) be (?:here|around|alive)(?: anymore)?\b|\b(?:everything|all) (?:ready|i need|prepared|planned|set)\b.{0,40}\b(?:tonight|today)(?:s| is) the night\b",
            ),
            Rule(
                "means_ready",
                r"\b(?:have|got|bought|holding|lined up|counted out|sorted out|laid out)\b.{0,25}\b"
                + _PILLS
                + r"\b.{0,30}\b(?:ready|to end it|to do it|to die|lined up|counted out)\b"
                r"|\b(?:pills|tablets|meds|rope|noose|gun|blade|razor) (?:are |is )?(?:ready|set up|counted|lined up|laid out|in my hands?|"
                r"in front of me)\b|\b\d+ " + _PILLS + r" (?:in front of me|in my hand|on the table|ready)\b"
                r"|\b(?:have|got|bought|found|ive got|i got) (?:a|the|my|some) (?:rope|noose|gun|pistol|razor blades?|"
                r"charcoal|helium)\b|\b(?:gun|pistol) is loaded\b|\bloaded (?:the|my) (?:gun|pistol)\b"
                r"|\b(?:tied|tying) (?:the|a) (?:rope|noose)\b|\benough " + _PILLS + r" to (?:die|kill|end|not wake)",
                unless=r" (?:for|at|from) (?:the |a )?(?:pharmacy|chemist|hammock|camping|boat|range|club|trip)\b"
                r"| for (?:the|this|next|my) (?:week|trip|day|morning|weekend|holiday|journey|flight)\b"
                r"|.{0,30}\b(?:pharmacy|chemist|pick up|pickup|collect|collection|refill)\b"
                r"|.{0,30}\b(?:organi[sz]er|dispenser|pill ?box|blister)\b",
                anchors=tuple("0123456789"),
                guard=Guard.PAST,
            ),
            Rule(
                "saving_pills",
                r"\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|stashing|stashed|storing up|squirrelling) "
                r"(?:up )?(?:all |some )?(?:of )?(?:my |the |extra |enough )?" + _PILLS + r"\b",
            ),
            Rule(
                "overdose_taken",
                r"\b(?:took|taken|swallowed|downed|necked) (?:all|all of|a whole bottle of|the whole bottle of|a bottle of|"
                r"the whole pack of|a whole pack of|too many|a lot of|a bunch of|a handful of|loads of|dozens of|"
                r"everything in) (?:my |the |of my |those |these |your )?(?:"
                + _PILLS
                + r"|medicine cabinet|pill box)\b"
                r"|\b(?:took|taken|swallowed) \d{2,} (?:of (?:my|the|those|these) )?(?:\w+ )?" + _PILLS + r"\b"
                r"|\b(?:i |ive |i have |just )(?:overdosed|od|odd|taken an overdose|took an overdose)\b",
                unless=_ROUTINE,
            ),
            Rule(
                "place",
                r"\b(?:im|i am|standing|sitting|up|here|stood|sat) (?:on|at|by) (?:the )?(?:edge of (?:the |a )?)?"
                r"(?:bridge|roof|rooftop|ledge|train tracks|tracks|railway|rail line|cliff|cliff edge|top of the "
                r"(?:building|car park|parking garage|multi storey))\b",
                unless=_COMMUTE + "|" + _LEISURE,
            ),
            Rule(
                "farewell",
                r"\b(?:this is|this will be|here is|these are) (?:my )?(?:last|final) (?:message|text|goodbye|words|post)\b"
                r"|\b(?:wrote|written|writing|left|leaving) (?:my |a |some )?(?:goodbye|suicide|farewell) "
                r"(?:letters?|notes?|messages?)\b|\b(?:wrote|written|writing|left) (?:letters|notes) (?:to|for) "
                r"(?:everyone|my family|my kids|my children|all of you|each of)\b|\bgoodbye (?:everyone|forever|world|"
                r"for good|cruel world)\b|\bsaying (?:my )?(?:goodbyes|goodbye to everyone)\b"
                r"|\bthis is (?:my )?goodbye\b(?! to (?:my|the|this|our|a))"
                r"|\b(?:by the time|when) you read this\b|\b(?:gave|giving|give) away (?:all )?my (?:things|stuff|"
                r"belongings|possessions|pets?|cat|dog)\b|\btell (?:my \w+|everyone|them) (?:i love (?:them|him|her|you)"
                r"|im sorry)\b.{0,40}\b(?:cant|goodbye|sorry|anymore)\b",
                unless=_FOR_NOW,
                guard=Guard.PAST,
            ),
            Rule(
                "act_under_way",
                r"\b(?:slit|slitting|cut|cutting) (?:my )?wrists?\b.{0,20}\b(?:tonight|now|right now|(?<!not )(?<!not very )deep)\b"
                r"|\bhow many " + _PILLS + r" (?:would it take|does it take|to die|to not wake up|would kill|is lethal|"
                r"is a lethal)\b|\blethal dose (?:of|for)\b|\bhow much \w+ (?:to die|would kill|to overdose)\b"
                r"|\b(?:car|engine) running in the (?:closed )?garage\b"
                r"|\b(?:pills|tablets|meds|rope|gun|noose|vodka|whisky|alcohol)\b.{0,60}\b(?:tonight|today|now)(?: im|"
                r" i am| i will| ill)? (?:doing it|going to do it|do it)\b|\b(?:doing|do) it (?:tonight|today|now)\b.{0,60}"
                r"\b(?:pills|tablets|meds|rope|gun|noose)\b",
            ),
        ],
        SELF_HARM: [
            Rule(
                "head_banging",
                r"\b(?:bang|banged|banging|slam|slammed|slamming|smash|smashed|smashing|hit|hitting) my head (?:against|"
                r"into) (?:the |a |my )?(?:wall|door|floor|desk|table|mirror)\b|\b(?:bang|banged|banging) my head on the "
                r"(?:wall|floor)\b|\b(?:hit|hitting|punch\w*|bang\w*|scratch\w*|bit|bite|biting|pinch\w*|slap\w*)\b"
                r".{0,40}\b(?:until|till) (?:it|they|i|my \w+) (?:hurt|hurts|bruised|bruise|went numb)\b"
                r"|\b(?:scratch|scratching|scratched|pick|picking|picked|bite|biting|burn|burning|cut|cutting|hit|hitting|"
                r"punch\w*|bang\w*) (?:\w+ ){0,3}on purpose\b|\bscratch\w* (?:my skin|myself|my arms?|my legs?) raw\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "hurt_self",
                r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|hurt|hurting|harm|harming|hit|hitting|punch|punching|"
                r"scratch|scratching|scratched|punish|punishing|starve|starving|bite|biting|carve|carving|stab|stabbing"
                r"|slap|slapping|bang|banging) " + _ME + r"\b",
                guard=Guard.DENIAL,
                unless=_ACCIDENT_EN,
            ),
            Rule(
                "body",
                r"\b(?:cut|cutting|cuts on|burned|burnt|burning|scratched|scratching|carved|carving|slashed|slashing|sliced|slicing) "
                r"(?:my |both |into my )?(?:arms?|legs?|wrists?|thighs?|skin|stomach|hips?|chest|forearms?)\b",
                guard=Guard.DENIAL,
                unless=_ACCIDENT_EN,
            ),
            Rule(
                "named",
                r"\bself[ -]?harm(?:ing|ed)?\b|\bself[ -]?injur(?:y|ing|ed)\b|\bself[ -]?mutilat\w*",
                guard=Guard.TOPIC,
            ),
            Rule(
                "urge_relapse",
                r"\b(?:urge|urges|tempted|craving|cravings) to (?:cut|hurt|harm|burn|bleed)\b(?! (?:my hair|the|a|back|"
                r"down|out|off|ties|carbs|costs|him|her|them|someone|somebody|people))"
                r"|\b(?:want|wanted|wanting|wanna|need|needed) to (?:cut|hurt|harm|burn|bleed)(?: "
                + _ME
                + r"| again| so (?:bad|badly|much)| really(?: bad| badly)?| badly| tonight)\b"
                r"|\b(?:want|wanted|wanting|wanna|need|needed) to (?:cut|hurt|harm|burn|bleed)$"
                r"|\b(?:been|started|start|back to|ended up|keep|kept|am|im|was) cutting\b(?! (?:back|down|out|off|up|"
                r"onions|the|a|an|some|it|them|this|that|these|those|hair|my hair|costs|ties|carbs|class|school|"
                r"corners|vegetables|veggies|wood|paper|grass|coupons|sugar|coffee|alcohol|meat|bread))|\bcutting again\b|\bcut again\b"
                r"|\bsh relapse\b|\brelapsed\b.{0,20}\b(?:sh|cut|cuts|cutting|self harm|burning)\b"
                r"|\b(?:made|make|making) "
                + _ME
                + r" bleed\b|\b(?:scratch\w*|punch\w*|hit\w*|bang\w*|burn\w*|bit|bite|"
                r"biting|pick\w*)\b.{0,40}\b(?:until|till|so) (?:it|they|i|my \w+) (?:bleed|bleeds|bled)\b"
                r"|\bon purpose\b.{0,10}\b(?:hurt|bled|bleed|cut|burn)|\b(?:hurt|cut|burn|burned|burnt|bled|hit) "
                r"(?:" + _ME + r" |my \w+ )?on purpose\b",
                guard=Guard.DENIAL,
            ),
        ],
        IDEATION: [
            Rule(
                "other_person",
                r"\b"
                + _OTHERS_EN
                # "my dad. I want to die" is the writer's own wish: a lone "i" just before the verb is not them.
                + r"\b.{0,40}(?<! i )\b(?:wants? to (?:die|end (?:it|her life|his life|their life)|kill "
                + _OTHERSELF_EN
                + r"|be dead)|wanted to (?:die|kill "
                + _OTHERSELF_EN
                + r")|(?:is|was|been|feels?|"
                r"felt) suicidal|(?:talks?|talked|talking|thinking|thinks|thought) about (?:suicide|killing "
                + _OTHERSELF_EN
                + r"|dying|ending (?:it|her life|his life|their life|it all))|(?:tried|trying|attempted) "
                r"to (?:kill " + _OTHERSELF_EN + r"|end (?:her|his|their) life)|(?:end|ending) (?:her|his|their) life"
                r"|kill "
                + _OTHERSELF_EN
                + r"|(?:is |has been |keeps |been |started )?(?:cutting|hurting|harming|burning) "
                + _OTHERSELF_EN
                + r"|(?:is|has been|keeps|been|started) self harming|self harms|doesnt want to "
                r"(?:live|be alive|be here))\b",
                guard=Guard.DENIAL,
                unless=r" (?:of|from|laughing|with laughter|of boredom|of embarrassment|of shame)\b",
            ),
            Rule(
                "want_to_die",
                r"\b(?:want|wanna|wish|wishing|wanted|wants|trying|tried|plan|planning|ready|feel like|thinking about|thought about|"
                r"think about|thinking of|thought of|thoughts of|thoughts about|considering|tempted|urge) (?:to )?"
                r"(?:just )?(?:die|dying|be dead|kill "
                + _ME
                + r"|killing "
                + _ME
                + r"|end (?:it all|my life|everything|"
                r"things|it(?! with| off| for| early))|ending (?:it all|my life|everything|things|it(?! with| off| for| "
                r"early))|commit suicide|committing suicide|take my (?:own )?life|taking my (?:own )?life|not exist|"
                r"not be (?:here|alive|around)|not wake up|never wake up|disappear forever|unalive "
                + _ME
                + r"|unaliving|"
                r"suicide)\b",
                guard=Guard.DENIAL,
                unless=r" (?:of|from|laughing|with laughter|in shame|of shame|of embarrassment|of boredom|happy)\b",
            ),
            Rule(
                "kill_myself",
                r"\b(?:kill|killing|end|ending|unalive|unaliving) " + _ME + r"\b|\bend (?:it all|my life)\b"
                r"|\bending (?:it all|my life)\b|\b(?:take|taking) my (?:own )?life\b(?! back| into)|\bunaliv\w*|\bkms\b"
                r"|\bcommit(?:ting)? suicide\b",
                guard=Guard.DENIAL,
                unless=r" (?:laughing|with laughter|at the gym|at work|working|in the gym|for you|over this|cleaning)\b",
            ),
            Rule(
                "suicidal",
                r"\bsuicidal\b|\bsuicide (?:thoughts?|ideation|plans?|attempt|urges?|feelings?)\b|\b(?:thinking|thoughts?|"
                r"thought|think|considering|contemplating) (?:of|about)? ?suicide\b|\battempt(?:ed)? suicide\b"
                r"|\bsuicide\b(?! (?:squad|prevention|awareness|rates?|statistics|bombers?|mission|doors?|risk))",
                guard=Guard.TOPIC,
            ),
            Rule(
                "dont_want_to_live",
                r"\b(?:dont|do not|didnt|no longer|not sure i|not sure if i|not sure that i|dont even|dont really|"
                r"really dont|never|barely) (?:want to|wanna|wish to|want to be|wanna be|feel like|care to) (?:live(?! (?:in|with|"
                r"at|near|there|here|alone|on|off|abroad|together))|living|alive|be alive|exist|existing|be here|here|"
                r"be around(?! (?:people|him|her|them|anyone|others|my|the|crowds|you|family))|around|wake up|"
                r"go on(?! (?:a|an|the|holiday|vacation|with|about|and|that|this|dates?|trips?))|keep going(?! (?:to|"
                r"back|there|with))|keep living|carry on|continue(?! (?:the|with|my|this|to|taking|treatment)))\b|\b(?:dont|do not) want to be alive\b",
                unless=r" (?:at|in|for|with|on) (?:this|the|work|school|that|my job|these)\b| (?:until|till|before)\b",
            ),
            Rule(
                "better_off",
                r"\b(?:better off|be better|happier|easier|be easier) (?:without me|if i (?:was|were|wasnt|werent|died|"
                r"disappeared) ?(?:dead|gone|here|around|alive|anymore)?|with me gone|when im gone|if i died)\b"
                r"|\bbetter off dead\b|\b(?:easier|better|simpler) to (?:just )?(?:not wake up|die|not be here|not exist|"
                r"disappear|end it)\b|\bbetter without me\b",
            ),
            Rule(
                "no_reason",
                r"\bno (?:reason|point|purpose) (?:to|in|for) (?:live|living|go on|going on|keep going|carry on|"
                r"carrying on|being alive|being here|stay alive|staying alive|wake up|waking up|anything)\b"
                r"|\bwhats (?:even |really |the )?(?:the )?point (?:of|in) (?:living|life|going on|being alive|anything|"
                r"waking up|me|existing|trying anymore)\b|\b(?:dont|do not|cant|cannot) see (?:the|any) point (?:of|in) "
                r"(?:living|life|being alive|going on|anything|existing|waking up)\b"
                r"|\b(?:life|living) (?:is not|isnt|aint|not) worth (?:living|it)\b|\bnot worth living\b"
                r"|\bcant (?:go on|keep living|keep going on|do life|live like this)\b|\b(?:dont think i can|not sure i can|"
                r"cannot|can no longer|couldnt|unable to) (?:keep (?:living|going on|going like this)|go on (?:living|like "
                r"this)|live like this|carry on like this)\b|\blife has no (?:meaning|point|"
                r"purpose)\b|\bno point in (?:anything|living|life|going on)\b",
            ),
            Rule(
                "sleep_forever",
                r"\b(?:wish|hope|pray) (?:i|that i) (?:(?:could|would|will) )?(?:just )?(?:never|not|dont|didnt|wont|"
                r"wouldnt) wake up\b|\b(?:go to sleep|fall asleep|sleep|drift off) and (?:never|not) wake up\b"
                r"(?! (?:until|till|before|for))|\bnever wake up again\b|\bsleep forever\b|\bnot wake up (?:again|ever)\b"
                r"|\bwish (?:i|that i) (?:was|were|had) (?:dead|never been born|gone|not here|not alive|died)\b"
                r"|\bwish (?:i|that i) (?:had )?(?:never been born|died|wasnt born)\b|\bhope (?:i|that i) die\b"
                r"|\bhope i dont wake up\b",
            ),
            Rule(
                "disappear",
                r"\b(?:want|wanna|wish|would like|like) to (?:just )?(?:disappear|vanish|fade away) (?:forever|for good|"
                r"permanently|completely|and never come back)\b|\b(?:stop|cease) (?:to )?exist(?:ing)?\b"
                r"|\bnot (?:be|being) (?:here|around) anymore\b|\bwish (?:i|that i) (?:could )?(?:just )?(?:not exist|"
                r"didnt exist|stop existing|disappear)\b|\b(?:didnt|wouldnt|did not|dont) exist anymore\b"
                r"|\bif i (?:wasnt|werent|was not|were not) (?:around|here|alive) anymore\b",
            ),
            Rule(
                "nobody_miss",
                r"\b(?:nobody|no one|noone) (?:would|will|d) (?:even )?(?:miss me|notice (?:if|when) i (?:was|were|died|"
                r"disappeared|wasnt|werent|vanished|left for good)|notice me gone|care (?:if|when) i (?:was|were|died|"
                r"disappeared|wasnt|werent)|be sad (?:if|when) i (?:was|were|died|disappeared))\b"
                r"|\b(?:anyone|anybody|someone) would (?:even )?(?:care|notice|miss me) if i (?:was|were|died|disappeared|"
                r"wasnt|werent)\b|\b(?:everyone|everybody|they|my family|people|the world|my kids) (?:would|will|d) be "
                r"(?:better|happier|fine|relieved) (?:off )?(?:without me|if i (?:was|were) gone)\b",
            ),
            Rule(
                "tired_of_living",
                r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:being alive|living|existing|life|being here|this life|"
                r"it all)\b(?! (?:in|at|with|without|under|near|here|there|alone|like (?:a|this (?:place|city))))|\bgive up on (?:life|living)\b|\bwant (?:it all|"
                r"everything|my life|all of it|it) to (?:end|stop|be over)\b(?! \w+ing| (?:with|at|for|so|early|soon|now))"
                r"|\b(?:want|need) out of (?:this )?life\b|\brather be dead\b|\bshould (?:just )?die\b(?! (?:my|her|his|the))"
                r"|\b(?:ways|how) to " + _METHOD_EN + r"\b"
                r"|\b(?:think|thinking|thought|thoughts|fantasi[sz]\w*|dream\w*|daydream\w*|obsess\w*) (?:a lot )?(?:about|of) (?:just )?(?:not existing|overdosing|hanging "
                + _ME
                + r"|jumping off|slitting my wrists|cutting my wrists|drowning "
                + _ME
                + r"|shooting "
                + _ME
                + r"|taking an overdose|killing "
                + _ME
                + r")\b"
                r"|\b(?:think|thinking|thought|thoughts) (?:a lot )?about (?:dying|death|being dead|not being here|"
                r"not being around|not waking up|ending it|ending my life|my funeral)\b"
                r"|\b(?:think|thinking|thought|thoughts) (?:about|of) (?:taking|swallowing) (?:all|a bunch of|too many) "
                r"(?:of )?(?:my |the )?"
                + _PILLS
                + r"\b|\bburden (?:to|for|on) (?:everyone|everybody|my family|you all|"
                r"others|people|them)\b|\bwanting to die\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "passive",
                r"\b(?:fine|ok|okay|better|easier|happier|relieved|lighter|better off) .{0,25}\bif i (?:just )?(?:(?:wasnt|"
                r"werent|was not|were not) (?:here|around|alive|born|in the picture|anymore)|(?:was|were) (?:gone|dead)|"
                r"died|disappeared|didnt exist)\b|\b(?:death|dying|suicide|killing myself|ending it|ending my life) "
                r"(?:is|seems|feels|looks|would be|sounds)(?: like)? (?:the |a )?(?:only |best |easiest |real )?(?:way out|"
                r"answer|option|solution|escape|relief|release|peace)\b|\b(?:want|need|wish) (?:it|this|everything|"
                r"it all|all of this|my life) (?:to be )?over\b(?! (?:with|so|already|by|before|soon|quickly|and done))"
                r"|\b(?:wish|hope|hoping|pray|praying)(?: that)? (?:a|the|some) (?:\w+ )?(?:bus|car|truck|train|lorry|"
                r"plane|tram|driver) (?:would |will |could )?(?:hit|kill|run me over|crash|hits|kills)\b"
                r"|\b(?:wish|hope|hoping|pray|praying) (?:i|that i) (?:get|got|would get|will get) (?:hit|run over|killed)\b"
                r"|\bif i (?:died|was dead|were dead|didnt wake up|never woke up|dont wake up)\b.{0,25}\b(?:wouldnt mind|"
                r"would not mind|wouldnt care|would be (?:ok|okay|fine|relieved|a relief|glad))\b|\bwouldnt mind "
                r"(?:dying|not waking up|if i died|being dead)\b|\b(?:hate|hating) (?:being alive|existing|that i exist|that im alive|that im still alive|waking up every day)\b|\b(?:no |any |a |the only |another )?(?:way out|escape|solution|option) (?:except|but|other than|besides) (?:dying|death|suicide|killing myself|to die)\b|\bonly way out is (?:death|dying|suicide)\b|\b(?:rather|prefer to|prefer) not (?:exist|be alive|be "
                r"here|wake up|live|have been born)\b|\bwish (?:i|that i) (?:could|would) (?:just )?(?:die|be dead)\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "method_plans",
                r"\b(?:thinking|thought|think|planning|planned|figuring out|figured out|working out|researching|researched|"
                r"looking up|looked up|googling|googled) (?:about |of )?(?:how|when|where) (?:i would|i could|id|i will|ill|"
                r"to|i might|i should) (?:do it|end it|kill " + _ME + r"|die|end my life|go through with it)\b(?! (?:"
                r"differently|better|again|if|right|properly))",
                guard=Guard.DENIAL,
            ),
            Rule(
                "method_thoughts",
                r"\b(?:step|stepping|jump|jumping|throw " + _ME + r"|throwing " + _ME + r"|walk|walking|run|running|"
                r"lie down|lying down) (?:out )?(?:in front of|under) (?:a|the) (?:train|bus|car|truck|lorry|tram)\b"
                r"|\b(?:drive|driving|crash|crashing|swerve|swerving) (?:my car |the car )?(?:into|off) (?:a|the) "
                r"(?:tree|wall|truck|bridge|cliff|road|river|lake)\b|\b(?:jump|jumping) (?:off|from) (?:the|my|a) "
                r"(?:bridge|roof|building|balcony|cliff|window|garage|parking garage|car park|overpass|tower|ledge|rooftop)\b|\b(?:picture|picturing|imagine|imagining|visuali[sz]\w*) "
                + _ME
                + r" (?:jumping|hanging|dead|dying|overdosing|drowning|falling|in a coffin)\b",
                guard=Guard.DENIAL,
            ),
        ],
    },
    "es": {
        IMMINENT: [
            Rule(
                "plan_time",
                r"\b(?:esta noche|hoy|ahora mismo|ahora|manana|este fin de semana|luego)\b.{0,25}\b(?:me voy a|voy a|me "
                r"pienso|lo voy a|lo hago|me mato|me suicido|acabo con todo|termino con todo)\b.{0,15}\b(?:matar|suicidar|"
                r"quitar la vida|hacer|hago|tirar|mato|suicido|acabar|todo)\b|\b(?:me voy a|voy a) (?:matar|suicidar|"
                r"quitar la vida|tirar)\w*\b.{0,25}\b(?:esta noche|hoy|ahora|manana)\b|\b(?:hoy|esta noche|ahora) (?:me "
                r"mato|me suicido|acabo con todo|lo hago|termino con todo|me quito la vida)\b",
            ),
            Rule(
                "stated_intent",
                r"\b(?:me voy a|voy a) (?:suicidar|matar|quitar la vida)\b|\bvoy a (?:suicidarme|matarme|quitarme la vida|"
                r"tirarme|lanzarme|saltar)\b",
            ),
            Rule(
                "means",
                r"\b(?:tengo|ya tengo) (?:las|mis|unas|todas las|el|la|un|una) (?:pastillas|cuerda|soga|pistola|arma|"
                r"cuchilla|navaja)\b.{0,20}\b(?:preparad[oa]s?|listas?|listos?|aqui|delante|para (?:hacerlo|esta noche|"
                r"acabar))\b|\bya tengo (?:la|una) (?:cuerda|soga|pistola|arma)\b|\b(?:guardando|guardado|acumulando|"
                r"acumulado|juntando|juntado|ahorrando|escondiendo) (?:mis |las |unas |todas las )?(?:pastillas|"
                r"medicinas|medicamentos|pastis)\b|\bsuficientes pastillas para (?:morir|matarme|no despertar)\b"
                r"|\bcuantas pastillas (?:hacen falta|necesito) para (?:morir|no despertar)\b|\b(?:tengo|lo tengo|ya tengo|ya lo tengo) todo (?:listo|preparado|planeado) para (?:matarme|suicidarme|hacerlo|acabar con todo|morir|quitarme la vida)\b|\b(?:manana|esta noche|pronto) ya no (?:estare|voy a estar)(?: aqui| vivo| viva)?\b",
                guard=Guard.PAST,
            ),
            Rule(
                "overdose_taken",
                r"\b(?:me tome|tome|me he tomado|he tomado|me trague|trague|me he tragado|se tomo|se ha tomado|me acabo de tomar|"
                r"acabo de tomar|me acabo de tragar|acabo de tragar|acabo de tomarme) (?:todas|"
                r"todo|un bote|una caja|un frasco|muchas|un monton de|la caja|el bote|un blister|el blister|una tira) (?:enter[oa] )?(?:las |mis |de |del |de las |de mis )?"
                r"(?:pastillas|medicinas|medicamentos|pastis|somniferos|bote|caja|frasco)?\b|\bsobredosis\b",
                unless=_ROUTINE,
            ),
            Rule(
                "place_farewell",
                r"\bestoy en (?:el|la|un|una) (?:borde del? )?(?:puente|azotea|tejado|cornisa|vias|acantilado)\b"
                r"|\b(?:este es|es|sera) mi (?:ultimo mensaje|ultima despedida|despedida)\b|\bcartas? de despedida\b"
                r"|\badios (?:a todos|para siempre|mundo)\b|\bcuando leas esto\b|\besta es mi despedida\b",
                unless=_COMMUTE + "|" + _FOR_NOW,
                guard=Guard.PAST,
            ),
        ],
        SELF_HARM: [
            Rule(
                "hurt_self",
                r"\b(?:cortarme|me corto|me corte|me he cortado|me volvi a cortar|lastimarme|me lastimo|me lastime|"
                r"hacerme dano|me hago dano|me hice dano|me he hecho dano|quemarme|me quemo|me queme|golpearme|me golpeo|"
                r"me golpee|arañarme)\b",
                guard=Guard.DENIAL,
                unless=r" (?:el pelo|las unas|el dedo|la mano|con (?:el|la|un|una) (?:cuchillo|plancha|horno|sarten|"
                r"puerta|olla|papel|hoja|lata|vidrio|cristal|tijeras|abrelatas|mandolina|rallador|aceite)|cocinando|"
                r"pelando|cortando|en (?:la|el) (?:cocina|gimnasio|trabajo)|en el gimnasio|jugando)\b",
            ),
            Rule(
                "named",
                r"\bautolesi\w*|\bautoles\w*|\bhacerme cortes\b|\b(?:me hice|me hago|me volvi a hacer|me he hecho|hice) "
                r"(?:unos |mas )?cortes\b",
                guard=Guard.TOPIC,
            ),
            Rule(
                "again",
                r"\bme (?:he vuelto a|volvi a|estoy|sigo|vuelvo a) (?:cortar|cortando|quemar|quemando|lastimar|lastimando|"
                r"golpear|golpeando|hacer dano)\b|\bme (?:golpee|golpeo|pego) (?:la cabeza )?(?:contra la pared|hasta "
                r"sangrar)\b|\bhasta sangrar\b|\bme (?:queme|corte|golpee|lastime|arane) a proposito\b"
                r"|\b(?:ganas|necesidad|impulso) de (?:cortarme|hacerme dano|quemarme|lastimarme)\b|\brecai\b.{0,20}\bcort",
                guard=Guard.DENIAL,
            ),
        ],
        IDEATION: [
            Rule(
                "other_person",
                r"\b(?:mi )?(?:amig[oa]|herman[oa]|madre|mama|padre|papa|hij[oa]|pareja|espos[oa]|novi[oa]|prim[oa]|"
                r"marido|mujer|compañer[oa]|companer[oa]|ella|el)\b.{0,40}\b(?:quiere (?:morir|morirse|matarse|suicidarse)|"
                r"se quiere (?:morir|matar|suicidar)|quiere (?:acabar con (?:todo|su vida)|quitarse la vida|desaparecer para siempre)|(?:habla|hablaba|piensa|pensaba) (?:de|en) (?:suicidarse|matarse|"
                r"morir|quitarse la vida)|es suicida|intento (?:suicidarse|matarse|quitarse la vida)|se (?:corta|"
                r"autolesiona|hace dano))\b|\b(?:dice|dijo|escribio|me dijo) que (?:se )?quiere (?:morirse|morir|matarse|"
                r"suicidarse)\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "want_to_die",
                r"\b(?:quiero|quisiera|queria|me quiero|deseo|ganas de|pienso en|pensando en|he pensado en|pense en|"
                r"me gustaria|prefiero) (?:morir|morirme|matarme|suicidarme|quitarme la vida|desaparecer para siempre|"
                r"dejar de existir|acabar con (?:todo|mi vida)|estar muert[oa]|no existir|no despertar|no estar aqui)\b"
                r"|\b(?:qiero|kiero|kero) (?:morir|morirme|matarme|suicidarme)\b|\bme (?:quiero|qiero|kiero|kero) (?:morir|matar|"
                r"suicidar)\b",
                guard=Guard.DENIAL,
                unless=r" (?:de (?:risa|verguenza|ganas|hambre|sueno|frio|calor|pena|aburrimiento)|del (?:calor|frio|"
                r"susto)|de la (?:verguenza|risa|pena))\b",
            ),
            Rule(
                "suicide",
                r"\bsuicida\b|\bsuicidio\b|\bpensamientos? (?:suicidas?|de (?:muerte|suicidio|morir|matarme))\b"
                r"|\bideas? (?:suicidas?|de (?:muerte|suicidio|matarme))\b|\bquitarme la vida\b|\bacabar con mi vida\b"
                r"|\bmatarme\b|\bsuicidarme\b",
                guard=Guard.TOPIC,
            ),
            Rule(
                "dont_want_to_live",
                r"\b(?:no|tampoco|ya no) (?:quiero|tengo ganas de|se si quiero|me apetece) (?:vivir|seguir viviendo|seguir|"
                r"despertar|despertarme|existir|estar aqui|seguir aqui|estar viv[oa])\b|\bojala (?:no despertar|no me "
                r"despierte|estuviera muert[oa]|me muriera|no hubiera nacido|desaparecer)\b|\bdesearia no (?:despertar|"
                r"existir|haber nacido)\b",
            ),
            Rule(
                "better_off",
                r"\b(?:estarian|estaria|estarias|vivirian|seria|serian) (?:todos )?(?:mejor|mas felices|mas tranquilos) sin mi\b"
                r"|\b(?:mas felices?|mas tranquil[oa]s?|mas content[oa]s?) sin mi\b|\bestaria mejor muert[oa]\b|\bmejor sin mi\b(?! (?:ex|novi[oa]|"
                r"marido|mujer|pareja|jefe|trabajo|movil|telefono|coche|perro|gato|madre|padre|familia|amig|casa|hij))"
                r"|\bnadie me (?:echaria de menos|extranaria)\b|\bnadie (?:notaria|se daria cuenta|me echaria de menos)\b"
                r"|\bsin mi (?:el mundo|todos|todo) (?:estaria|estarian|seria) mejor\b|\bsoy una carga para\b"
                r"|\bmejor no (?:existir|estar aqui|haber nacido|despertar)\b",
            ),
            Rule(
                "no_reason",
                r"\bno (?:hay|tengo|veo|encuentro) (?:ninguna )?(?:razon|razones|motivo|motivos|sentido) (?:para|de|en|a) "
                r"(?:vivir|seguir|la vida)\b|\b(?:que|cual es el) sentido (?:tiene|de|en) (?:vivir|la vida|seguir)\b"
                r"|\bla vida (?:ya )?no tiene (?:ningun )?sentido\b|\b(?:no tengo|sin|ya no tengo|ya sin) (?:\w+ ){0,2}(?:fuerzas|ganas|razones|motivos) (?:para|de) (?:seguir viviendo|vivir|seguir aqui|seguir con vida|continuar viviendo)\b|\b(?:otra salida|salida|solucion) (?:que|mas que|sino) (?:morir|morirme|la muerte|matarme|el suicidio)\b|\bla vida no vale la pena\b|\bno vale la pena (?:vivir|seguir)\b|\bno puedo (?:mas con la vida|seguir asi|"
                r"seguir viviendo)\b|\b(?:no tiene|sin|ningun|no tiene ningun) sentido (?:seguir viviendo|vivir|seguir aqui|"
                r"la vida|seguir)\b|\bla muerte (?:seria|es|parece|me parece) (?:un alivio|la solucion|la unica salida|una "
                r"liberacion|un descanso)\b"
                r"|\bno le (?:veo|encuentro) (?:ningun )?sentido a (?:la vida|vivir|nada|seguir)\b|\bpara que (?:sigo|seguir) "
                r"viviendo\b|\b(?:harto|harta|cansado|cansada) de (?:vivir|la vida|existir)\b",
            ),
            Rule(
                "indirect",
                r"\bquiero que (?:todo )?(?:se )?(?:termine|acabe)(?: todo| ya)?\b(?! (?:el|la|de|pronto|rapido|esta|este))"
                r"|\b(?:prefiero|preferiria|preferia) estar muert[oa]\b|\bquitarme de en medio\b|\bme quiero ir de este mundo\b|\b(?:tirarme|lanzarme|arrojarme) (?:a|de|por|"
                r"desde) (?:las vias|el puente|la ventana|un puente|el tren|el balcon|la azotea)\b|\bdormir para siempre\b"
                r"|\bno quiero (?:seguir )?vivir\b|\bdesaparecer (?:y no volver|para siempre)\b|\bno despertar(?:me)? "
                r"(?:nunca|jamas|mas)\b|\bno volver a despertar\b|\bojala no despertar\b",
                guard=Guard.DENIAL,
            ),
        ],
    },
    "de": {
        IMMINENT: [
            Rule(
                "plan_time",
                r"\b(?:heute nacht|heute abend|heute|jetzt|morgen|gleich|nachher)\b.{0,25}\b(?:bringe ich mich um|bring ich "
                r"mich um|mache ich schluss|mach ich schluss|ist es so weit|werde ich mich umbringen|tue ich es|tu ich es|"
                r"springe ich|setze ich dem (?:ganzen |allem )?ein ende|nehme ich mir das leben)\b"
                r"|\bich (?:werde|will) mich (?:heute|jetzt|heute nacht|morgen) umbringen\b|\bich (?:bringe|bring) mich "
                r"(?:heute|jetzt|heute nacht|morgen)? ?um\b|\b(?:mache|mach) (?:ich )?(?:heute|jetzt|heute nacht|morgen) "
                r"schluss\b|\bheute ist der tag\b.{0,25}\b(?:beende|sterbe|mache|tue)|\bnehme mir (?:heute|jetzt|heute "
                r"nacht) das leben\b|\bich werde mich umbringen\b|\b(?:werde|will) es (?:heute|heute nacht|jetzt|morgen) "
                r"tun\b.{0,40}\b(?:alles|alle) (?:vorbereitet|bereit|geplant)\b",
            ),
            Rule(
                "means",
                r"\b(?:tabletten|pillen|medikamente|schlaftabletten)\b.{0,25}\b(?:gesammelt|gehortet|gespart|bereit|"
                r"bereitgelegt|zusammen|liegen bereit)\b|\b(?:sammle|horte|spare|bunkere) "
                r"(?:\w+ ){0,3}(?:tabletten|pillen|medikamente|schlaftabletten)\b|\b(?:alle|die ganze packung|eine ganze "
                r"packung|zu viele|eine packung|die packung) (?:meine |meiner |der |die )?(?:tabletten|pillen|"
                r"medikamente|schlaftabletten)\b.{0,25}\b(?:genommen|geschluckt)\b|\bich habe (?:einen |den )?"
                r"(?:strick|ein seil|eine waffe|die waffe)\b|\b(?:einen|den) strick\b|\bstrick (?:besorgt|gekauft|geknupft|"
                r"bereit|vorbereitet)\b|\b(?:packung|schachtel|flasche) (?:\w+ )?(?:tabletten|"
                r"schlaftabletten|pillen)\b.{0,20}\b(?:geschluckt|genommen)\b|\buberdosis\b",
                unless=_ROUTINE,
                guard=Guard.PAST,
            ),
            Rule(
                "place_farewell",
                r"\b(?:will|werde) (?:jetzt |gleich )?(?:springen|runterspringen|mich fallen lassen)\b"
                r"|\bich (?:stehe|sitze|bin) (?:gerade |jetzt |hier )?(?:auf|an) (?:der|dem|einer|einem|den) (?:brucke|dach|"
                r"gleisen|gleis|klippe|"
                r"hochhaus|bahngleisen)\b|\babschiedsbrief\w*|\babschiedsnachricht\w*|\b(?:das|dies) ist meine "
                r"(?:letzte|allerletzte) nachricht\b|\blebt wohl\b|\b(?:morgen|bald|heute nacht) bin ich nicht mehr (?:da|hier|am leben)\b|\b(?:von allen|von euch|von meiner familie) verabschiedet\b.{0,40}\bnicht mehr (?:da|hier|leben)\b|\bwenn (?:du|ihr|sie) (?:das|dies) (?:liest|lest|"
                r"lesen)\b",
                unless=_COMMUTE + "|" + _FOR_NOW,
                guard=Guard.PAST,
            ),
        ],
        SELF_HARM: [
            Rule(
                "hurt_self",
                r"\b(?:ritze|ritzen|ritzte|geritzt|verletze|verbrenne|schlage|schneide) mich(?: selbst| absichtlich| wieder|"
                r" immer)?\b|\bmich (?:selbst )?(?:zu )?(?:ritzen|schneiden|verletzen|verbrennen|bestrafen)\b(?! (?:beim|am))"
                r"|\bselbstverletz\w*|\britzdruck\b|\bgeritzt\b|\bmir (?:\w+ ){0,3}(?:die|den|meine|meinen) (?:arme|arm|unterarme|unterarm|beine|bein|handgelenke|oberschenkel|haut) (?:geritzt|aufgeschnitten|aufgeritzt|zerschnitten|aufgekratzt|verbrannt)\b|\bmich (?:\w+ ){0,3}geritzt\b"
                r"|\bmich (?:(?!am\b|beim\b|an\b|im\b|in\b)\w+ ){0,3}(?:absichtlich|selbst|wieder) (?:\w+ )?(?:geschnitten|"
                r"verletzt|verbrannt)\b|\bmich (?:(?!am\b|beim\b|an\b|im\b|in\b)\w+ ){0,3}mit (?:einer|einem|der|dem) "
                r"(?:zigarette|feuerzeug|klinge|rasierklinge|messer|scherbe)\b.{0,20}\b(?:verbrannt|geschnitten|verletzt)\b"
                r"|\bmir (?:absichtlich |selbst |wieder |mit absicht )?(?:wehtun|weh tun|wehgetan|weh getan|schaden)\b"
                r"|\b(?:arme|beine|handgelenke|oberschenkel|haut) (?:aufgeschnitten|aufgeritzt|zerschnitten|aufgekratzt)\b"
                r"|\bmir (?:\w+ ){0,2}(?:in|an) (?:den|die|das|meinen|meine) (?:arm|arme|unterarm|unterarme|bein|beine|"
                r"handgelenk|handgelenke|oberschenkel|haut|bauch) (?:geschnitten|geritzt|gebrannt)\b",
                guard=Guard.DENIAL,
                unless=r" (?:beim|am|an der|in den finger|in der kuche|mit dem messer beim|nicht|nie|niemals|kaum)\b",
            ),
        ],
        IDEATION: [
            Rule(
                "other_person",
                r"\b(?:(?:mein|meine|meiner) )?(?:freund|freundin|schwester|bruder|mutter|vater|sohn|tochter|partner|partnerin|"
                r"frau|mann|kollegin|kollege|mama|papa|kind|sie|er)\b.{0,40}\b(?:will sterben|will sich umbringen|ist "
                r"suizidal|spricht (?:von|uber) (?:suizid|selbstmord|sterben)|denkt an (?:suizid|selbstmord)|nicht mehr "
                r"leben (?:will|mochte|wolle)|will nicht mehr leben|(?:redet|spricht) davon,? sich (?:das leben zu nehmen|"
                r"umzubringen)|ritzt sich|sich das leben (?:zu )?nehmen|sich (?:umbringen|toten|das leben nehmen|etwas antun|"
                r"was antun) (?:will|mochte|wolle|wollte|werde))\b|\b(?:er|sie) (?:will|mochte|wollte) sich (?:umbringen|"
                r"das leben nehmen|toten)\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "want_to_die",
                r"\b(?:will|mochte|mochte gern|wurde gern|wunsche mir|wunschte|sehne mich danach|wollte) "
                + _FILL_DE
                + r""
                r"(?:sterben|tot sein|mich umbringen|verschwinden fur immer|fur immer verschwinden|einschlafen und nicht "
                r"mehr aufwachen)\b|\bmich (?:selbst |einfach |endlich |jetzt |heute |bald )?(?:umbringen|umzubringen|toten)\b|\bmir (?:das leben|was|etwas) "
                r"(?:zu )?(?:nehmen|antun|antue|anzutun)\b|\bmein leben (?:zu )?beenden\b|\bdem (?:ganzen|leben) ein ende "
                r"(?:zu )?(?:setzen|machen)\b|\bschluss machen\b.{0,10}\b(?:mit allem|mit dem leben|fur immer)\b",
                guard=Guard.DENIAL,
                unless=r" (?:vor (?:hunger|lachen|langeweile|scham|durst|neugier|angst)|lassen|beim|wenn er|wenn sie)\b",
            ),
            Rule(
                "suicide",
                r"\b(?:suizid\w*|selbstmord\w*|lebensmude|lebensmuede|todeswunsch\w*)\b",
                guard=Guard.TOPIC,
            ),
            Rule(
                "dont_want_to_live",
                r"\b(?:will|mochte|kann|mag|wollte) (?:heute |einfach |eigentlich )?(?:wieder )?nicht mehr (?:leben|"
                r"weiterleben|aufwachen|weitermachen|existieren|da sein|hier sein|am leben sein)\b|\bnicht mehr "
                r"(?:aufwachen|am leben sein|leben (?:will|mochte))\b|\b(?:keine|keinen) lust mehr (?:zu leben|auf das "
                r"leben|am leben|auf leben)\b|\bwunschte,? (?:ich,? )?(?:ich )?ware (?:tot|nie geboren|nicht mehr da)\b"
                r"|\bam liebsten (?:\w+ ){0,3}(?:sterben|tot sein|nicht mehr aufwachen|fur immer verschwinden)\b|\bwurde (?:ich )?(?:einfach |gern |lieber )?sterben\b(?! (?:als|fur|vor))|\b(?:wunsche|wunschte) (?:ich )?(?:mir )?(?:\w+ ){0,2}tot zu sein\b|\bob ich (?:noch )?leben will\b|\bso leben will ich (?:auch )?nicht\b|\bware lieber tot\b"
                r"|\b(?:ware|waere|ist) (?:es )?(?:besser|leichter|einfacher|schoner) (?:tot zu sein|nicht mehr zu leben|"
                r"zu sterben|nicht mehr da zu sein|nicht zu existieren)\b|\bder tod (?:ware|ist|scheint|erscheint mir) "
                r"(?:eine erlosung|die losung|der einzige ausweg|eine befreiung|die einzige losung)\b",
            ),
            Rule(
                "better_off",
                r"\bohne mich (?:waren|ware|waere|waeren|ginge es|geht es) (?:alle|allen|jeder|jedem|alles|euch|ihnen|die "
                r"welt|meiner familie)? ?(?:besser|glucklicher)\b|\b(?:alle|jeder|alle anderen) (?:waren|ware) ohne mich "
                r"(?:besser dran|glucklicher|besser)\b|\bbesser (?:dran )?ohne mich\b|\bniemand (?:wurde|wird) mich "
                r"vermissen\b|\bniemand wurde (?:es )?merken,? wenn ich\b|\b(?:besser|einfacher),? wenn ich (?:nicht mehr "
                r"da|tot|weg|nicht mehr) (?:ware|bin)\b|\bwenn ich (?:weg|nicht mehr da|tot) ware\b|\bwenn ich nicht "
                r"mehr ware\b|\beine last fur (?:alle|jeden|meine familie)\b",
            ),
            Rule(
                "no_reason",
                r"\b(?:kein|keinen) (?:sinn|grund) mehr\b.{0,15}\b(?:zu leben|weiterzuleben|weiterzumachen|leben)\b"
                r"|\b(?:sehe|hat|macht|habe) (?:alles|das leben|mein leben)? ?(?:keinen|doch keinen) sinn mehr\b"
                r"|\bkeinen sinn mehr (?:im|in meinem) leben\b|\bwozu (?:noch )?(?:leben|weitermachen)\b"
                r"|\bdas leben ist (?:es )?nicht (?:mehr )?(?:wert|lebenswert)\b|\bnicht lebenswert\b"
                r"|\bkeinen (?:grund|sinn) (?:mehr )?(?:weiterzumachen|weiterzuleben|zu leben)\b|\bwas hat (?:das|mein) "
                r"leben (?:noch )?fur einen sinn\b",
            ),
            Rule(
                "indirect",
                r"\bwill (?:morgen |heute )?nicht (?:mehr )?aufwachen\b|\bwache (?:hoffentlich )?nicht mehr auf\b"
                r"|\bfur immer (?:verschwinden|weg sein|schlafen|einschlafen)\b|\b(?:nie wieder|nicht mehr) aufwachen\b"
                r"|\bdass alles aufhort\b|\bnicht mehr am leben sein\b|\bvor (?:den|einen) (?:zug|bus|lkw) (?:zu )?"
                r"(?:werfen|springen|laufen)\b|\bvon (?:der|einer) brucke (?:zu )?springen\b|\bmochte (?:einfach )?"
                r"(?:nur )?noch tot sein\b",
                guard=Guard.DENIAL,
            ),
        ],
    },
    "fr": {
        IMMINENT: [
            Rule(
                "plan_time",
                r"\b(?:ce soir|cette nuit|aujourd'hui|maintenant|demain|tout a l'heure|tout de suite)\b.{0,25}\b(?:je vais|"
                r"j'vais|je compte|c'est decide|je)\b.{0,15}\b(?:me tuer|me suicider|en finir|passer a l'acte|passe a "
                r"l'acte|le faire|sauter|me foutre en l'air|fais|tue|finis)\b|\bje vais (?:me tuer|me suicider|en finir|"
                r"passer a l'acte|sauter|me foutre en l'air)\b.{0,25}\b(?:ce soir|cette nuit|aujourd'hui|maintenant|"
                r"demain)\b|\b(?:ce soir|cette nuit|aujourd'hui) (?:je me tue|c'est fini|j'en finis|je mets fin a (?:mes jours|ma vie))\b",
                unless=r" (?:avec (?:lui|elle|mon|ma|le|la)|de (?:courir|nager))\b",
            ),
            Rule(
                "stated_intent",
                r"\bje vais (?:me tuer|me suicider|me foutre en l'air|en finir(?! avec (?:ce|cette|le|la|les|mon|ma|mes)))\b"
                r"|\bc'est decide\b.{0,20}\b(?:passe|passer) a l'acte\b",
            ),
            Rule(
                "means",
                r"\b(?:j'ai|jai) (?:les|mes|des|tous mes|toutes mes) (?:medicaments|medocs|cachets|pilules|comprimes|"
                r"somniferes)\b.{0,25}\b(?:prets|pretes|de cote|sous la main|ce soir|pour en finir)\b|\b(?:stocke|stockes|"
                r"accumule|accumules|mis de cote|je stocke|j'accumule|je mets de cote|mets de cote|cache|planque) (?:mes |des "
                r"|les )?(?:medicaments|medocs|cachets|pilules|comprimes|somniferes)\b|\bgarde (?:mes |des |les )?"
                r"(?:medicaments|medocs|cachets|pilules|comprimes|somniferes)\b.{0,25}\b(?:pour (?:le faire|en finir|"
                r"mourir|le jour)|de cote|depuis)\b|\bj'ai (?:une corde|la corde|une arme|un plan pour)\b|\b(?:prepare|achete|trouve) (?:la|une|ma) corde\b|\bla corde est prete\b"
                r"|\b(?:fait|faire) une (?:overdose|od|surdose)\b|\bcombien de (?:cachets|comprimes|medicaments|pilules) "
                r"pour (?:mourir|ne pas me reveiller)\b",
                unless=_ROUTINE,
                guard=Guard.PAST,
            ),
            Rule(
                "overdose_taken",
                r"\b(?:j'ai pris|j'ai avale|pris|avale|elle a pris|il a pris) (?:tous|toutes|toute la boite de|une boite de|"
                r"trop de|toute la plaquette de|toute la boite|toute la plaquette) (?:mes |les |de |d')?(?:medicaments|medocs|"
                r"cachets|pilules|comprimes|somniferes)?\b|\b(?:avale|pris) (?:toute|tout|une|toutes) (?:la |une |ma |mes |sa )?(?:boite|"
                r"plaquette|tube) (?:de|d')\b",
                unless=_ROUTINE,
            ),
            Rule(
                "place_farewell",
                r"\bje suis (?:sur|au bord du|au bord de la|en haut du) (?:le |la |un |une )?(?:pont|toit|rebord|quai|"
                r"falaise|voie|voies)\b|\blettres? d'adieu\b|\bmots? d'adieu\b|\b(?:c'est|ceci est|voici) mon (?:dernier "
                r"message|dernier adieu)\b|\badieu (?:a tous|pour toujours|tout le monde)\b|\b(?:ecrit|ecris|laisse|redige) (?:mes|des) adieux\b|\b(?:demain|bientot|cette nuit) je ne serai plus (?:la|en vie)\b|\bquand tu liras (?:ce "
                r"message|ceci|ca)\b",
                unless=_COMMUTE + "|" + _FOR_NOW,
                guard=Guard.PAST,
            ),
        ],
        SELF_HARM: [
            Rule(
                "hurt_self",
                r"\b(?:me scarifier|me scarifie|je me scarifie|me mutiler|me faire du mal|je me fais du mal|me suis fait du "
                r"mal|me couper|je me coupe|je me suis coupee?|je me brule|me bruler|me frapper|je me frappe|me blesser|"
                r"je me suis (?:encore |de nouveau )?(?:re)?(?:coupee?|scarifiee?|mutilee?|blessee?|brulee?|frappee?))\b"
                r"|\b(?:scarifications?|automutil\w*|scarifi\w*)\b",
                guard=Guard.DENIAL,
                unless=r" (?:en \w+ant|le doigt|les (?:cheveux|ongles)|avec (?:le|la|un|une) (?:couteau|four|fer|poele|"
                r"papier|porte)|au (?:travail|sport|dos|genou)|a la (?:cuisine|main)|les cheveux|la main)\b",
            ),
            Rule(
                "more",
                r"\b(?:fait|faire|fais) des (?:coupures|entailles|brulures|scarifications)\b|\b(?:veux|envie de|besoin de|"
                r"pulsion de) me (?:blesser|couper|bruler|scarifier|faire du mal)\b|\brechute\b|\bme suis (?:brule|"
                r"coupe|coupee|brulee|frappe|frappee|griffe|griffee) (?:\w+ ){0,3}expres\b|\b(?:brule|coupe|griffe)e? "
                r"(?:le |la |les |mes )?(?:bras|poignets?|jambes?|cuisses?|peau|ventre)\b.{0,15}\bexpres\b",
                guard=Guard.DENIAL,
            ),
        ],
        IDEATION: [
            Rule(
                "other_person",
                r"\b(?:(?:mon|ma|mes) )?(?:ami|amie|soeur|frere|mere|pere|fils|fille|copain|copine|mari|femme|compagnon|"
                r"compagne|collegue|elle|il)\b.{0,40}\b(?:veut|voulait|a envie de) (?:mourir|se tuer|se suicider|en finir)"
                r"\b|\b(?:(?:mon|ma|mes) )?(?:ami|amie|soeur|frere|mere|pere|fils|fille|copain|copine|mari|femme|compagnon|"
                r"compagne|collegue|elle|il)\b.{0,40}\b(?:est suicidaire|parle de (?:se suicider|mourir|suicide|se tuer|"
                r"en finir)|pense (?:a se suicider|au suicide|a mourir)|se scarifie|se fait du mal)\b",
                guard=Guard.DENIAL,
            ),
            Rule(
                "want_to_die",
                r"\b(?:veux|voudrais|voulais|envie de|j'ai envie de|pense a|je pense a|pensees de|idees de|j'aimerais|"
                r"j'veux|jveux|pense|pensais) "
                + _FILL_FR
                + r"(?:de plus en plus |souvent |parfois )?(?:a )?(?:mourir|me tuer|me suicider|en finir|disparaitre pour toujours|ne plus "
                r"exister|ne plus etre la|mettre fin a (?:mes jours|ma vie)|me foutre en l'air)\b",
                guard=Guard.DENIAL,
                unless=r" (?:de (?:rire|honte|faim|froid|chaud|soif|peur|fatigue)|d'(?:ennui|envie|impatience)|avec (?:ce|"
                r"cette|le|la|les|mon|ma|mes))\b",
            ),
            Rule(
                "suicide",
                r"\bsuicidaire\b|\bidees? (?:suicidaires?|noires)\b|\bpensees? suicidaires?\b|\bme suicider\b"
                r"|\bsuicide\b(?! (?:squad|prevention|awareness|rates?|statistics|bombers?|mission|doors?|risk))"
                r"|\bmettre fin a (?:mes jours|ma vie)\b|\ben finir avec (?:la vie|tout)\b",
                guard=Guard.TOPIC,
                unless=r" (?:au travail|a la tache|a le dire|a vous le dire)\b",
            ),
            Rule(
                "dont_want_to_live",
                r"\b(?:je ne veux plus|je veux plus|plus envie de|pas envie de|aucune envie de|je n'ai plus envie de|"
                r"j'ai plus envie de|je ne veux pas) (?:vivre|continuer|me reveiller|exister|etre la|etre en vie)\b"
                r"|\bne plus me reveiller\b|\b(?:j'aimerais|je voudrais|j'espere) (?:ne pas|ne plus|ne jamais) me reveiller\b"
                r"|\bj'aurais prefere ne (?:jamais|pas) naitre\b|\bne plus etre la\b|\bne veux plus etre en vie\b"
                r"|\bpas sure? de vouloir vivre\b|\b(?:plus|pas|aucun|perdu le|perdu tout) (?:le )?gout (?:a|de) (?:la vie|vivre)\b"
                r"|\bla vie n (?:a|avait) (?:plus|pas|aucun) (?:de )?sens\b|\bn en peux plus de (?:vivre|la vie|cette vie)\b|\bveux (?:pu|plus) (?:vivre|etre la)\b|\bne jamais me reveiller\b"
                r"|\bespere ne (?:pas|plus|jamais) me reveiller\b",
            ),
            Rule(
                "better_off",
                r"\b(?:serait|seraient|serais|seriez|irait|iraient) (?:tous |toutes )?mieux sans moi\b|\bmieux sans moi\b"
                r"|\bpersonne ne (?:me regretterait|remarquerait|me manquerait|verrait la difference)\b"
                r"|\bvaudrait mieux que je (?:meure|disparaisse|sois mort)\b|\b(?:irait|iraient|serait|seraient|serais|ira) "
                r"(?:tous |toutes )?mieux si je n (?:etais|existais) (?:plus|pas)\b|\bun fardeau pour (?:tout le monde|tous|"
                r"ma famille|mes proches)\b",
            ),
            Rule(
                "no_reason",
                r"\b(?:aucune|pas de|plus de|plus aucune) raison de (?:vivre|continuer)\b|\ba quoi bon (?:continuer|vivre|se "
                r"lever|tout ca|me lever)\b|\bla vie ne vaut (?:pas|plus) la peine\b|\bje ne (?:peux|supporte) plus "
                r"(?:vivre|cette vie)\b|\b(?:marre|ras le bol) de (?:la vie|vivre|exister)\b|\bfatiguee? de vivre\b",
            ),
            Rule(
                "indirect",
                r"\benvie d'en finir\b|\bme jeter (?:sous|par|du|d'un|de) (?:le |la |un |une )?(?:train|metro|bus|fenetre|"
                r"pont|voiture|balcon)\b|\benvie de (?:ne )?plus exister\b|\bdormir pour toujours\b|\bque tout s'arrete"
                r"(?: pour de bon| pour toujours| definitivement)?\b(?! (?:au|a|ce|cette|le|la))|\bprefere(?:rais)? etre "
                r"morte?\b|\b(?:j'aimerais|je voudrais|je prefere|je prefererais) etre morte?\b|\bpasser a l'acte\b"
                r"|\ben finir\b(?! avec (?:ce|cette|le|la|les|mon|ma|mes|ca|lui|elle))|\bdisparaitre (?:pour toujours|pour de "
                r"bon|definitivement|a jamais)\b|\bla mort (?:serait|est|semble|me semble|parait) (?:un soulagement|une "
                r"delivrance|la solution|la seule (?:issue|solution|option)|une liberation)\b|\b(?:mettre|mets|mettrai|"
                r"met) fin a (?:mes jours|ma vie)\b",
                guard=Guard.DENIAL,
            ),
        ],
    },
}
