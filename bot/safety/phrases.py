"""Crisis phrases per language and tier, as regular expressions over the normalised text.

Write them as people write: apostrophes and doubled letters are fine, the detector folds both away in the
text and in these patterns alike. `anchors` are plain words that must occur for a rule to be tried at all,
which keeps checking a message to a few microseconds. A rule marked `negatable` does not fire when a
negation ("not", "never", "nicht", "no", "pas", …) stands just before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMMINENT, SELF_HARM, IDEATION = "imminent", "self_harm", "ideation"


@dataclass(frozen=True)
class Rule:
    id: str
    tier: str
    pattern: str
    anchors: tuple[str, ...]
    negatable: bool = False
    unless: str | None = None  # an idiom that, right after the match, makes it harmless
    language: str = field(default="")


# Words that, a few words before a negatable phrase, make it a denial, a report of the past, a question
# someone else asked, or talk about a book or film. Checked for every language at once: suicide is spelled
# alike in several of them and people mix languages.
NEGATIONS = (
    r"not|never|no|dont|didnt|doesnt|wouldnt|wont|isnt|arent|nor|without|nothing|hardly|stopped|used|asked|asks"
    r"|ask|asking|movie|film|novel|book|documentary|article|podcast|series|song|poets"
    r"|longer|nunca|jamas|ni|tampoco|antes|sin|pregunto|pelicula|libro|documental|serie|cancion"
    r"|nicht|nie|niemals|kein|keine|keinen|ohne|nimmer|fruher|gefragt|fragte|buch|roman"
    r"|pas|jamais|plus|sans|aucune|aucun|avant|demande|livre"
)

_ME_EN = r"(?:myself|my ?self)"
# Harmless continuations: taking the day's medication, being stuck in traffic, a last message for today,
# thoughts that have gone.
_ROUTINE = (
    r".{0,25}\b(?:for today|this morning|as prescribed|like the doctor said|as usual|de hoy|de la manana|de la noche|"
    r"del dia|como dijo|como me dijo|como siempre|ce matin|comme prevu|comme prescrit|comme d'habitude|wie verordnet|"
    r"heute morgen|wie vom arzt|wie immer)\b"
)
_TRAFFIC = (
    r".{0,30}\b(?:traffic|jam|stau|atasco|bouchons?|trafic|late|tarde|spater|en retard|retard|away from|minutes|"
    r"on my way|almost there|unterwegs|en camino|en route)\b"
)
_FOR_TODAY = (
    r"(?: (?:for|de|fur|pour) (?:today|tonight|hoy|heute|ce soir|aujourdhui|la semana|this week|now)\b|.{0,12}"
    r"\b(?:good ?night|buenas noches|gute nacht|bonne nuit)\b)"
)
_GONE = r"(?: thoughts?| ideation)? (?:are|is|have|has|were) (?:gone|over|fading|less|better|away)\b"
_OTHERS_EN = (
    r"(?:friend|sister|brother|mom|mum|mother|dad|father|son|daughter|partner|wife|husband|girlfriend|boyfriend"
    r"|roommate|cousin|colleague|coworker|kid|child|teen|teenager|niece|nephew|aunt|uncle|grandma|grandpa)"
)

RULES: dict[str, list[Rule]] = {
    "en": [
        # Imminent: a plan, the means at hand, a time, an act under way, farewells.
        Rule(
            "en.imminent.plan_time",
            IMMINENT,
            r"\b(?:(?:im |i am |i'm )?(?:going to|gonna|about to)|i will|ill|i'll) (?:do it|end it(?! with)(?: all)?|kill "
            + _ME_EN
            + r"|end my life|take my (?:own )?life|jump|overdose)\b.{0,30}\b(?:tonight|today|now|right now|"
            r"this (?:evening|weekend)|tomorrow|soon|after (?:work|dinner|everyone))\b",
            ("tonight", "today", "now", "tomorrow", "soon", "weekend", "evening", "after"),
        ),
        Rule(
            "en.imminent.time_first",
            IMMINENT,
            r"\b(?:tonight|today|right now) (?:is the (?:night|day)|i(?:m| am)? (?:going to|gonna) (?:do it|end it|kill "
            + _ME_EN
            + r"))",
            ("tonight", "today", "now"),
        ),
        Rule(
            "en.imminent.plan",
            IMMINENT,
            r"\b(?:have|got|made|worked out|figured out) (?:a |the |my )?plan (?:to|for how to|how to) "
            r"(?:kill " + _ME_EN + r"|end (?:it|my life)|die|do it)\b|\bplanned (?:how|when) (?:to|i will|ill) "
            r"(?:die|end it|kill " + _ME_EN + r")",
            ("plan",),
        ),
        Rule(
            "en.imminent.means_ready",
            IMMINENT,
            r"\b(?:have|got|bought|holding|ready|lined up|counted out|sorted out)\b.{0,25}\b(?:pills|tablets|meds|"
            r"rope|gun|pistol|blade|razor|noose)\b.{0,30}\b(?:ready|tonight|to end|to do it|to die|do it|now)\b"
            r"|\b(?:pills|tablets|meds|rope|gun|noose) (?:are |is )?(?:ready|set up|counted)\b",
            ("pills", "tablets", "meds", "rope", "gun", "pistol", "blade", "razor", "noose"),
        ),
        Rule(
            "en.imminent.saving_pills",
            IMMINENT,
            r"\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing|stashed) "
            r"(?:up )?(?:all )?(?:my |some |the )?(?:pills|tablets|meds|medication|sleeping pills)\b",
            ("saving", "saved", "stockpil", "hoard", "collect", "stash"),
        ),
        Rule(
            "en.imminent.overdose_taken",
            IMMINENT,
            r"\b(?:took|taken|swallowed|downed) (?:all|a whole bottle of|the whole bottle of|a bottle of|too many|"
            r"a lot of|a bunch of|a handful of|loads of|\d+ of) (?:my |the |of my )?(?:pills|tablets|meds|"
            r"medication|sleeping pills|painkillers)\b|\b(?:i |ive |i have |just )(?:overdosed|od'?d|taken an "
            r"overdose|took an overdose)\b",
            ("took", "taken", "swallow", "downed", "overdos", "odd", "od"),
            unless=_ROUTINE,
        ),
        Rule(
            "en.imminent.place",
            IMMINENT,
            r"\b(?:im|i am|standing|sitting|up) on (?:the |a )?(?:bridge|roof|ledge|edge of the roof|train tracks|"
            r"tracks|cliff)\b",
            ("bridge", "roof", "ledge", "tracks", "cliff"),
            unless=_TRAFFIC,
        ),
        Rule(
            "en.imminent.last_message",
            IMMINENT,
            r"\b(?:this is|this will be|here is) (?:my )?(?:last|final) (?:message|text|goodbye|words)\b"
            r"|\b(?:wrote|written|writing|left|leaving) (?:my |a |some )?(?:goodbye|suicide|farewell) "
            r"(?:letters?|notes?|messages?)\b|\bgoodbye (?:everyone|forever|world|for good)\b"
            r"|\bsaying (?:my )?(?:goodbyes|goodbye to everyone)\b|\bthis is (?:my )?goodbye\b",
            ("last", "final", "goodbye", "suicide", "farewell"),
            unless=_FOR_TODAY,
        ),
        Rule(
            "en.imminent.cut_deep",
            IMMINENT,
            r"\b(?:slit|slitting|cut|cutting) (?:my )?wrists?\b.{0,20}\b(?:tonight|now|today|deep)\b",
            ("wrist",),
        ),
        # Self-harm.
        Rule(
            "en.self_harm.hurt_self",
            SELF_HARM,
            r"\b(?:cut|cutting|cuts|burn|burning|burnt|burned|hurt|hurting|harm|harming|hit|hitting|punch|punching|"
            r"scratch|scratching|punish|punishing|starve|starving) " + _ME_EN + r"\b",
            ("myself", "my self"),
            negatable=True,
            unless=r"(?: (?:a|some)(?: \w+)? (?:slice|piece|bit|cup|plate|drink)\b| on (?:the|a|my|an)\b"
            r"| at (?:the|work|gym)\b| (?:while|when|cooking|shaving|playing|running|lifting|training|by accident|"
            r"accidentally|by mistake)\b| in the (?:kitchen|garden|gym)\b)",
        ),
        Rule(
            "en.self_harm.body",
            SELF_HARM,
            r"\b(?:cut|cutting|burned|burnt|burning|scratched) (?:my )?(?:arms?|legs?|wrists?|thighs?|skin|stomach)\b",
            ("arm", "leg", "wrist", "thigh", "skin", "stomach"),
            negatable=True,
            unless=r"(?: on| in| at) (?:the|a|some|my) ",
        ),
        Rule(
            "en.self_harm.named",
            SELF_HARM,
            r"\bself[ -]?harm(?:ing|ed)?\b|\bself[ -]?injur(?:y|ing|ed)\b|\b(?:relapsed|relapse|started again|"
            r"back to)\b.{0,20}\b(?:cutting|self harm|sh)\b|\b(?:urge|urges|want|wanted|need|needed) to "
            r"(?:cut|hurt|harm|burn) (?:myself|again)\b|\bcut again\b",
            ("self", "cutting", "urge", "want", "need", "cut"),
            negatable=True,
        ),
        # Ideation, direct and indirect.
        Rule(
            "en.ideation.want_to_die",
            IDEATION,
            r"\b(?:want|wanna|wish|wishing|wanted|trying|tried|going|gonna|plan|planning|thinking about|thought about|"
            r"thinking of|thought of|thoughts of|thoughts about|considering|tempted) (?:to )?(?:die|dying|kill "
            + _ME_EN
            + r"|killing "
            + _ME_EN
            + r"|end (?:it all|my life|everything|things|it(?! with| off| for))|ending (?:it all|my "
            r"life|everything|things|it(?! with| off| for))|commit suicide|take my (?:own )?life|taking my (?:own )?life|not exist|"
            r"not be (?:here|alive|around)|disappear forever|be dead|suicide)\b",
            ("die", "dying", "kill", "end", "suicide", "life", "exist", "here", "alive", "around", "disappear", "dead"),
            negatable=True,
            unless=r" (?:of|from|laughing|with laughter|in shame|of shame|of embarrassment|of boredom)\b",
        ),
        Rule(
            "en.ideation.kill_myself",
            IDEATION,
            r"\b(?:kill|killing|end|ending) " + _ME_EN + r"\b|\bend (?:it all|my life)\b|\bending (?:it all|my life)\b"
            r"|\btake my (?:own )?life\b",
            ("kill", "end", "life"),
            negatable=True,
            unless=r" (?:laughing|with laughter|at the gym|at work|working|in the gym|for you|over this)\b",
        ),
        Rule(
            "en.ideation.suicidal",
            IDEATION,
            r"\bsuicidal\b|\bsuicide (?:thoughts?|ideation|plan|attempt)\b|\b(?:thinking|thoughts?|thought|"
            r"considering|contemplating) (?:of|about)? ?suicide\b|\battempt(?:ed)? suicide\b",
            ("suicid",),
            negatable=True,
            unless=_GONE,
        ),
        Rule(
            "en.ideation.dont_want_to_live",
            IDEATION,
            r"\b(?:dont|do not|didnt|did not|no longer|not sure i|not sure if i|dont even|dont really) "
            r"(?:want to|wanna|wish to|want to be|wanna be) (?:live|living|alive|be alive|exist|be here|here|be around|"
            r"around|wake up|go on|keep going|keep living|carry on)\b|\b(?:dont|do not) want to be alive\b",
            ("live", "alive", "exist", "here", "around", "wake", "go on", "going", "living", "carry"),
        ),
        Rule(
            "en.ideation.better_off",
            IDEATION,
            r"\b(?:better off|be better|happier|easier) (?:without me|if i (?:was|were|wasnt|werent) (?:dead|gone|"
            r"here|around|alive)|with me gone|when im gone|if i died)\b|\bbetter off dead\b",
            ("better", "happier", "easier"),
        ),
        Rule(
            "en.ideation.no_reason",
            IDEATION,
            r"\bno (?:reason|point|purpose) (?:to|in|for) (?:live|living|go on|going on|keep going|carry on|"
            r"carrying on|being alive|being here|stay alive|staying alive|wake up|waking up)\b"
            r"|\bwhats (?:even |really )?the point (?:of|in) (?:living|life|going on|being alive|anything anymore|"
            r"waking up)\b"
            r"|\b(?:life|living) (?:is not|isnt|aint|not) worth (?:living|it)\b|\bnot worth living\b"
            r"|\bcant (?:go on|keep living|keep going on|do life)\b",
            ("reason", "point", "purpose", "worth", "go on", "living"),
        ),
        Rule(
            "en.ideation.sleep_forever",
            IDEATION,
            r"\b(?:wish|hope) (?:i|that i) (?:(?:could|would) )?(?:never|not|dont|didnt|wouldnt) wake up\b"
            r"|\b(?:go to sleep|fall asleep|sleep) and (?:never|not) wake up\b(?! until| till| before)|\bsleep forever\b"
            r"|\bwish (?:i|that i) (?:was|were) (?:dead|never born|gone|not here|not alive)\b"
            r"|\bwish (?:i|that i) (?:had )?(?:never been born|died)\b",
            ("wake", "sleep", "wish"),
        ),
        Rule(
            "en.ideation.disappear",
            IDEATION,
            r"\b(?:want|wanna|wish) to (?:disappear|vanish|fade away) (?:forever|for good|permanently|completely)\b"
            r"|\b(?:stop|cease) (?:to )?exist(?:ing)?\b|\bnot (?:be|being) here anymore\b",
            ("disappear", "vanish", "fade", "exist", "anymore"),
        ),
        Rule(
            "en.ideation.nobody_miss",
            IDEATION,
            r"\b(?:nobody|no one|noone) (?:would|will) (?:miss|notice|care|even notice) (?:me|if i (?:was|were) "
            r"gone|if i died|if i disappeared)\b|\b(?:everyone|everybody|they|my family|people|the world) (?:would|"
            r"will|d) be (?:better|happier) (?:off )?without me\b",
            ("miss", "notice", "care", "without"),
        ),
        Rule(
            "en.ideation.other_person",
            IDEATION,
            r"\b(?:my )?" + _OTHERS_EN + r"\b.{0,40}\b(?:wants? to die|want(?:s|ed)? to kill (?:herself|himself|"
            r"themselves|themself)|suicidal|(?:talk(?:s|ed|ing)?|thinking|thinks) about (?:suicide|killing "
            r"(?:herself|himself|themselves)|dying|ending (?:it|(?:her|his|their) life))|end (?:her|his|their) "
            r"life|kill (?:herself|himself|themselves))",
            ("die", "kill", "suicid", "dying", "life"),
            negatable=True,
        ),
    ],
    "es": [
        Rule(
            "es.imminent.plan_time",
            IMMINENT,
            r"\b(?:esta noche|hoy|ahora mismo|ahora|manana|este fin de semana)\b.{0,25}\b(?:me voy a|voy a|me "
            r"pienso|lo voy a|lo hago|me mato|me suicido)\b.{0,15}\b(?:matar|suicidar|quitar la vida|hacer|hago|"
            r"tirar|mato|suicido|acabar)|\b(?:me voy a|voy a) (?:matar|suicidar|quitar la vida|tirar)\b.{0,25}\b"
            r"(?:esta noche|hoy|ahora|manana)\b",
            ("noche", "hoy", "ahora", "manana", "semana"),
        ),
        Rule(
            "es.imminent.means",
            IMMINENT,
            r"\btengo (?:las|mis|unas|todas las|el|la|un|una) (?:pastillas|cuerda|pistola|arma|cuchilla|navaja|plan)"
            r"\b|\b(?:guardando|guardado|acumulando|acumulado|juntando|juntado|ahorrando) (?:mis |las |unas )?"
            r"(?:pastillas|medicinas|medicamentos)\b|\b(?:me tome|tome|me he tomado|trague) (?:todas|todo|un bote "
            r"de|la caja de|muchas) (?:las |mis )?(?:pastillas|medicinas|medicamentos)\b",
            ("tengo", "guard", "acumul", "junt", "ahorr", "tome", "tomado", "trague"),
            unless=_ROUTINE,
        ),
        Rule(
            "es.imminent.place_farewell",
            IMMINENT,
            r"\bestoy en (?:el|la|un|una) (?:puente|azotea|tejado|cornisa|vias)\b|\b(?:este es|es|sera) mi "
            r"(?:ultimo mensaje|ultima despedida|despedida)\b|\b(?:cartas?|notas?) de despedida\b"
            r"|\badios (?:a todos|para siempre)\b",
            ("puente", "azotea", "tejado", "cornisa", "vias", "ultim", "despedida", "adios"),
            unless=_TRAFFIC + "|" + _FOR_TODAY,
        ),
        Rule(
            "es.self_harm.named",
            SELF_HARM,
            r"\b(?:cortarme|me corto|me corte|me he cortado|me volvi a cortar|lastimarme|me lastimo|me lastime|"
            r"hacerme dano|me hago dano|me hice dano|quemarme|me quemo|me queme|golpearme|me golpeo)\b"
            r"|\bautolesion\w*\b|\bautoles\w*",
            ("cort", "lastim", "dano", "quem", "golpe", "autoles"),
            negatable=True,
            unless=r" (?:el pelo|las unas|con (?:el|la|un|una)|cocinando|en (?:la|el)|el dedo)\b",
        ),
        Rule(
            "es.ideation.want_to_die",
            IDEATION,
            r"\b(?:quiero|quisiera|queria|me quiero|deseo|ganas de|pienso en|pensando en|he pensado en|pense en) "
            r"(?:morir|morirme|matarme|suicidarme|quitarme la vida|desaparecer para siempre|dejar de existir|"
            r"acabar con (?:todo|mi vida)|estar muert[oa])\b|\bme quiero morir\b|\bquiero morir\b",
            ("morir", "matar", "suicid", "vida", "desaparecer", "existir", "acabar", "muert"),
            negatable=True,
            unless=r" (?:de (?:risa|verguenza|ganas|hambre|sueno|frio|calor)|del (?:calor|frio)|de la "
            r"(?:verguenza|risa))\b",
        ),
        Rule(
            "es.ideation.suicide",
            IDEATION,
            r"\bsuicida\b|\bsuicidio\b|\bpensamientos? (?:suicidas?|de (?:muerte|suicidio|morir|matarme))\b"
            r"|\bquitarme la vida\b|\bacabar con mi vida\b|\bmatarme\b|\bsuicidarme\b",
            ("suicid", "muerte", "vida", "matarme", "morir"),
            negatable=True,
        ),
        Rule(
            "es.ideation.dont_want_to_live",
            IDEATION,
            r"\b(?:no|tampoco|ya no) (?:quiero|tengo ganas de|se si quiero) (?:vivir|seguir viviendo|seguir|despertar|despertarme|"
            r"existir|estar aqui|seguir aqui)\b|\bojala (?:no despertar|no me despierte|estuviera muert[oa]|me "
            r"muriera|no hubiera nacido|desaparecer)\b",
            ("vivir", "viviendo", "seguir", "despert", "existir", "aqui", "ojala"),
        ),
        Rule(
            "es.ideation.better_off",
            IDEATION,
            r"\b(?:estarian|estaria|estarian todos|estarias|vivirian) mejor sin mi\b|\bmejor sin mi\b"
            r"|\bnadie me (?:echaria de menos|extranaria)\b",
            ("mejor", "nadie"),
        ),
        Rule(
            "es.ideation.no_reason",
            IDEATION,
            r"\bno (?:hay|tengo|veo) (?:ninguna )?(?:razon|razones|motivo|motivos|sentido) (?:para|de|en) "
            r"(?:vivir|seguir)\b|\b(?:que|cual es el) sentido (?:tiene|de|en) (?:vivir|la vida|seguir)\b"
            r"|\bla vida no vale la pena\b|\bno puedo (?:mas con la vida|seguir asi|seguir viviendo)\b",
            ("razon", "motivo", "sentido", "vale", "puedo"),
        ),
        Rule(
            "es.ideation.other_person",
            IDEATION,
            r"\b(?:mi )?(?:amig[oa]|herman[oa]|madre|mama|padre|papa|hij[oa]|pareja|espos[oa]|novi[oa]|prim[oa])\b"
            r".{0,40}\b(?:quiere (?:morir|matarse|suicidarse)|habla de (?:suicidarse|matarse|morir)|es suicida|"
            r"intento suicidarse|piensa en (?:suicidarse|matarse))\b",
            ("morir", "matarse", "suicid"),
            negatable=True,
        ),
    ],
    "de": [
        Rule(
            "de.imminent.plan_time",
            IMMINENT,
            r"\b(?:heute nacht|heute abend|heute|jetzt|morgen|gleich)\b.{0,25}\b(?:bringe ich mich um|bring ich mich "
            r"um|mache ich schluss|mach ich schluss|ist es so weit|werde ich mich umbringen|tue ich es|tu ich es|"
            r"springe ich)\b|\bich (?:werde|will|wede) mich (?:heute|jetzt|heute nacht|morgen) umbringen\b",
            ("heute", "jetzt", "morgen", "gleich", "umbringen"),
        ),
        Rule(
            "de.imminent.means",
            IMMINENT,
            r"\b(?:tabletten|pillen|medikamente|schlaftabletten)\b.{0,20}\b(?:gesammelt|gehortet|gespart|bereit|"
            r"zusammen|liegen bereit|genommen)\b|\b(?:sammle|horte|spare) (?:meine |die )?(?:tabletten|pillen|"
            r"medikamente)\b|\b(?:alle|die ganze packung|eine ganze packung|zu viele) (?:meine |der )?(?:tabletten|"
            r"pillen|medikamente)\b.{0,15}\bgenommen\b|\bich habe (?:einen )?(?:strick|ein seil|eine waffe)\b",
            ("tablett", "pillen", "medikament", "strick", "seil", "waffe"),
            unless=_ROUTINE,
        ),
        Rule(
            "de.imminent.place_farewell",
            IMMINENT,
            r"\bich (?:stehe|sitze|bin) (?:auf|an) (?:der|dem|einer|einem) (?:brucke|dach|gleisen|gleis|klippe)\b"
            r"|\babschiedsbrief\w*|\babschiedsnachricht\w*|\b(?:das|dies) ist meine letzte nachricht\b"
            r"|\blebt wohl\b",
            ("brucke", "dach", "gleis", "klippe", "abschied", "letzte", "lebt wohl"),
            unless=_TRAFFIC + "|" + _FOR_TODAY,
        ),
        Rule(
            "de.self_harm.named",
            SELF_HARM,
            r"\b(?:ritze|ritzen|ritzte|geritzt|schneide|schnitt|geschnitten|verletze|verletzt|verletzen|verbrenne|"
            r"verbrannt|schlage|geschlagen) mich\b|\bmich (?:selbst )?(?:zu )?(?:ritzen|schneiden|verletzen|"
            r"verbrennen|bestrafen)\b|\bselbstverletz\w*|\bsvv\b|\britzdruck\b|\bwieder geritzt\b",
            ("ritz", "schneid", "schnitt", "verletz", "verbrenn", "verbrannt", "schlage", "svv"),
            negatable=True,
            unless=r" (?:beim|am|an der|in den finger|in der kuche|nicht)\b",
        ),
        Rule(
            "de.ideation.want_to_die",
            IDEATION,
            r"\b(?:will|mochte|mochte gern|wurde gern|wunsche mir|wunschte|sehne mich danach) (?:einfach )?"
            r"(?:nur )?(?:sterben|tot sein|mich umbringen|nicht mehr leben|nicht mehr (?:da|hier) sein|"
            r"verschwinden|einschlafen und nicht mehr aufwachen)\b|\bmich umbringen\b|\bmir das leben nehmen\b"
            r"|\bmein leben beenden\b|\bdem (?:ganzen|leben) ein ende (?:setzen|machen)\b|\bschluss machen\b.{0,10}"
            r"\b(?:mit allem|mit dem leben|fur immer)\b",
            ("sterben", "tot", "umbringen", "leben", "verschwinden", "aufwachen", "ende", "schluss"),
            negatable=True,
        ),
        Rule(
            "de.ideation.suicide",
            IDEATION,
            r"\b(?:suizid\w*|selbstmord\w*|lebensmude|lebensmuede)\b",
            ("suizid", "selbstmord", "lebensmud"),
            negatable=True,
            unless=r" (?:gefragt|sind weg|ist weg|sind vorbei|ist vorbei|verschwunden)\b",
        ),
        Rule(
            "de.ideation.dont_want_to_live",
            IDEATION,
            r"\b(?:will|mochte|kann) nicht mehr (?:leben|weiterleben|aufwachen|weitermachen|existieren|da sein|"
            r"hier sein)\b|\bnicht mehr aufwachen\b|\b(?:keine|keinen) lust mehr (?:zu leben|auf das leben|am "
            r"leben)\b|\bwunschte,? ich ware (?:tot|nie geboren|nicht mehr da)\b",
            ("leben", "aufwachen", "weitermachen", "existieren", "sein", "lust", "ware"),
        ),
        Rule(
            "de.ideation.better_off",
            IDEATION,
            r"\bohne mich (?:waren|ware|waere|waeren|ginge es|geht es) (?:alle|allen|jeder|jedem|alles|euch|ihnen|"
            r"meiner familie)?\s?(?:besser|glucklicher)\b|\b(?:alle|jeder|alle anderen) (?:waren|ware) ohne mich "
            r"(?:besser dran|glucklicher|besser)\b|\bniemand (?:wurde|wird) mich vermissen\b",
            ("ohne mich", "vermissen"),
        ),
        Rule(
            "de.ideation.no_reason",
            IDEATION,
            r"\b(?:kein|keinen) (?:sinn|grund) mehr\b.{0,15}\b(?:zu leben|weiterzuleben|weiterzumachen|leben)\b"
            r"|\b(?:hat|macht) (?:alles|das leben) (?:keinen|doch keinen) sinn mehr\b|\bwozu (?:noch )?"
            r"(?:leben|weitermachen)\b|\bdas leben ist (?:es )?nicht (?:mehr )?wert\b",
            ("sinn", "grund", "wozu", "wert"),
        ),
        Rule(
            "de.ideation.other_person",
            IDEATION,
            r"\b(?:mein|meine|meiner)? ?(?:freund|freundin|schwester|bruder|mutter|vater|sohn|tochter|partner|"
            r"partnerin|frau|mann|kollegin|kollege)\b.{0,40}\b(?:will sterben|will sich umbringen|ist suizidal|"
            r"spricht (?:von|uber) (?:suizid|selbstmord|sterben)|denkt an (?:suizid|selbstmord))\b",
            ("sterben", "umbringen", "suizid", "selbstmord"),
            negatable=True,
        ),
    ],
    "fr": [
        Rule(
            "fr.imminent.plan_time",
            IMMINENT,
            r"\b(?:ce soir|cette nuit|aujourd'hui|maintenant|demain|tout a l'heure)\b.{0,25}\b(?:je vais|j'vais|"
            r"je compte|c'est decide)\b.{0,15}\b(?:me tuer|me suicider|en finir|passer a l'acte|le faire|sauter)\b"
            r"|\bje vais (?:me tuer|me suicider|en finir|passer a l'acte|sauter)\b.{0,25}\b(?:ce soir|cette nuit|"
            r"aujourd'hui|maintenant|demain)\b",
            ("soir", "nuit", "aujourd", "maintenant", "demain", "heure"),
        ),
        Rule(
            "fr.imminent.means",
            IMMINENT,
            r"\b(?:j'ai|jai) (?:les|mes|des|tous mes|toutes mes) (?:medicaments|medocs|cachets|pilules|comprimes)"
            r"\b.{0,25}\b(?:prets|pretes|de cote|sous la main|ce soir|pour en finir)\b|\b(?:garde|gardes|stocke|"
            r"stockes|accumule|accumules|mis de cote|je garde|je stocke|j'accumule|je mets de cote) (?:mes |des |"
            r"les )?(?:medicaments|medocs|cachets|pilules|comprimes)\b|\b(?:j'ai pris|j'ai avale|pris|avale) "
            r"(?:tous|toutes|toute la boite de|une boite de|trop de) (?:mes |les )?(?:medicaments|medocs|cachets|"
            r"pilules|comprimes)\b|\bj'ai (?:une corde|une arme|un plan pour)\b",
            ("medicament", "medoc", "cachet", "pilule", "comprime", "corde", "arme", "plan"),
            unless=_ROUTINE,
        ),
        Rule(
            "fr.imminent.place_farewell",
            IMMINENT,
            r"\bje suis sur (?:le|un) (?:pont|toit|rebord|quai)\b|\blettres? d'adieu\b|\bmots? d'adieu\b"
            r"|\b(?:c'est|ceci est|voici) mon (?:dernier message|dernier adieu)\b|\badieu (?:a tous|pour toujours)\b",
            ("pont", "toit", "rebord", "quai", "adieu", "dernier"),
            unless=_TRAFFIC + "|" + _FOR_TODAY,
        ),
        Rule(
            "fr.self_harm.named",
            SELF_HARM,
            r"\b(?:me scarifier|me scarifie|je me scarifie|scarifications?|me mutiler|automutil\w*|me faire du mal|"
            r"je me fais du mal|me suis fait du mal|me couper|je me coupe|je me suis coupee?|je me brule|me bruler|"
            r"me frapper|je me frappe)\b",
            ("scarif", "mutil", "mal", "coup", "brul", "frapp"),
            negatable=True,
            unless=r" (?:en \w+ant|en cuisinant|le doigt|avec le papier|les cheveux|en coupant|a la cuisine)\b",
        ),
        Rule(
            "fr.ideation.want_to_die",
            IDEATION,
            r"\b(?:veux|voudrais|voulais|envie de|j'ai envie de|pense a|je pense a|pensees de|idees de|j'aimerais) "
            r"(?:mourir|me tuer|me suicider|en finir|disparaitre pour toujours|ne plus exister|ne plus etre la|"
            r"mettre fin a (?:mes jours|ma vie))\b|\bje veux mourir\b|\benvie de mourir\b",
            ("mourir", "tuer", "suicid", "finir", "disparaitre", "exister", "etre la", "jours", "vie"),
            negatable=True,
            unless=r" (?:de rire|de honte|de faim|de froid|de chaud|d'ennui)\b",
        ),
        Rule(
            "fr.ideation.suicide",
            IDEATION,
            r"\bsuicidaire\b|\bidees? (?:suicidaires?|noires)\b|\bpensees? suicidaires?\b|\bme suicider\b"
            r"|\bmettre fin a (?:mes jours|ma vie)\b|\ben finir avec (?:la vie|tout)\b|\b(?:je vais|j'ai envie de) me tuer\b",
            ("suicid", "noires", "jours", "vie", "finir", "tuer"),
            negatable=True,
            unless=r" (?:au travail|a la tache|a le dire|a vous le dire)\b",
        ),
        Rule(
            "fr.ideation.dont_want_to_live",
            IDEATION,
            r"\b(?:je ne veux plus|je veux plus|plus envie de|pas envie de|aucune envie de|je n'ai plus envie de|"
            r"j'ai plus envie de) (?:vivre|continuer|me reveiller|exister|etre la)\b|\bne plus me reveiller\b"
            r"|\b(?:j'aimerais|je voudrais) (?:ne pas|ne plus) me reveiller\b|\bj'aurais prefere ne (?:jamais|pas) "
            r"naitre\b",
            ("vivre", "continuer", "reveiller", "exister", "etre la", "naitre"),
        ),
        Rule(
            "fr.ideation.better_off",
            IDEATION,
            r"\b(?:serait|seraient|serais|seriez|irait|iraient) (?:tous |toutes )?mieux sans moi\b|\bmieux sans moi\b"
            r"|\bpersonne ne (?:me regretterait|remarquerait)\b",
            ("mieux", "personne"),
        ),
        Rule(
            "fr.ideation.no_reason",
            IDEATION,
            r"\b(?:aucune|pas de|plus de|plus aucune) raison de (?:vivre|continuer)\b|\ba quoi bon (?:vivre|"
            r"continuer|se lever|tout ca)\b|\bla vie ne vaut (?:pas|plus) la peine\b|\bje ne (?:peux|supporte) plus "
            r"(?:vivre|cette vie)\b",
            ("raison", "quoi bon", "vaut", "peux", "supporte"),
        ),
        Rule(
            "fr.ideation.other_person",
            IDEATION,
            r"\b(?:mon|ma|mes)? ?(?:ami|amie|soeur|frere|mere|pere|fils|fille|copain|copine|mari|femme|compagnon|"
            r"compagne|collegue)\b.{0,40}\b(?:veut mourir|veut se tuer|veut se suicider|est suicidaire|parle de "
            r"(?:se suicider|mourir|suicide|se tuer)|pense au suicide)\b",
            ("mourir", "tuer", "suicid"),
            negatable=True,
        ),
    ],
}


_MORE: dict[str, list[Rule]] = {
    "en": [
        Rule(
            "en.imminent.stated_intent",
            IMMINENT,
            r"\b(?:im|i am|i'm|im just) (?:going to|gonna) (?:kill " + _ME_EN + r"|end my life|take my (?:own )?life|"
            r"commit suicide)\b|\bsuicide (?:tonight|today|now)\b|\b(?:planning|plan|going|gonna) to overdose\b"
            r"|\b(?:decided|know|worked out|figured out) (?:how and when|when and how|exactly how)\b"
            r"|\b(?:have|got) a plan\b.{0,30}\b(?:do it|going to|gonna|tonight|this week)\b",
            ("kill", "life", "suicide", "overdose", "how and when", "when and how", "exactly how", "plan"),
        ),
        Rule(
            "en.imminent.means_have",
            IMMINENT,
            r"\b(?:have|got|bought|found|ive got|i got) (?:the|a|my) (?:rope|noose|gun|pistol|razor blades?)\b"
            r"|\b(?:gun|pistol) is loaded\b|\bhow many (?:pills|tablets|of these|sleeping pills) (?:would it take|"
            r"does it take|to die|to not wake up|would kill)\b|\b(?:took|swallowed|taken) \d{2,} of (?:my|the|those|these) "
            r"\w+",
            ("rope", "noose", "gun", "pistol", "razor", "how many", "took", "swallow", "taken"),
        ),
        Rule(
            "en.imminent.farewell",
            IMMINENT,
            r"\b(?:by the time|when) you read this\b|\b(?:gave|giving|give) away (?:all )?my (?:things|stuff|"
            r"belongings|possessions|pets?|cat|dog)\b|\bwrote my will\b",
            ("read this", "away", "will"),
        ),
        Rule(
            "en.ideation.tired_of_living",
            IDEATION,
            r"\b(?:tired|sick|exhausted) of (?:being alive|living|existing|life|being here)\b|\bdone with (?:life|"
            r"living|being alive|everything)\b|\bgive up on (?:life|living)\b|\bwant (?:it all|everything|this|"
            r"the pain|my life) to (?:end|stop|be over)\b|\brather be dead\b|\bshould (?:just )?die\b"
            r"|\bhope (?:i|that i) die\b|\bpray (?:i|that i) (?:wont|dont|never) wake up\b"
            r"|\b(?:ways|how) to (?:die|kill " + _ME_EN + r"|end it|end my life|commit suicide)\b|\bkms\b"
            r"|\b(?:think|thinking|thought|thoughts) about (?:dying|death|being dead|not being here)\b"
            r"|\b(?:didnt|wouldnt|did not) exist anymore\b|\bif i (?:wasnt|werent|was not|were not) (?:around|here|"
            r"alive)(?: anymore)?\b|\bburden (?:to|for|on) (?:everyone|everybody|my family|you all|others|people)\b"
            r"|\blife has no (?:meaning|point|purpose)\b|\bno point in (?:anything|living|life)\b"
            r"|\bwanting to die\b",
            (
                "tired",
                "sick",
                "exhausted",
                "done with",
                "give up",
                "to end",
                "to stop",
                "over",
                "dead",
                "die",
                "wake",
                "ways",
                "how to",
                "kms",
                "think",
                "thought",
                "exist",
                "wasnt",
                "werent",
                "was not",
                "were not",
                "burden",
                "meaning",
                "point",
                "suicide",
            ),
            negatable=True,
            unless=r" (?:squad|prevention|awareness|hotline number is|of (?:the|my) (?:phone|battery)|laughing)\b",
        ),
        Rule(
            "en.ideation.method_thoughts",
            IDEATION,
            r"\b(?:step|stepping|jump|jumping|throw " + _ME_EN + r"|throwing " + _ME_EN + r"|walk|walking|run|"
            r"running) (?:out )?(?:in front of|under) (?:a|the) (?:train|bus|car|truck|lorry)\b"
            r"|\b(?:drive|driving|crash|crashing|swerve|swerving) (?:my car |the car )?(?:into|off) (?:a|the) "
            r"(?:tree|wall|truck|bridge|cliff|road)\b|\b(?:jump|jumping) (?:off|from) (?:the|my|a) (?:bridge|roof|"
            r"building|balcony|cliff|window)\b",
            ("front of", "under", "into", "off", "from"),
        ),
        Rule(
            "en.self_harm.more",
            SELF_HARM,
            r"\b(?:urge|urges|want|wanna|need|needed|tempted) to cut\b|\b(?:been|started|start|back to) cutting\b"
            r"|\bcutting again\b|\b(?:made|make|making) " + _ME_EN + r" bleed\b|\bsh relapse\b|\brelapsed\b.{0,15}"
            r"\b(?:sh|cut|cuts|cutting)\b|\b(?:scratch\w*|punch\w*|hit\w*|bang\w*|burn\w*|bit|bite|biting)\b.{0,40}"
            r"\b(?:until|till|so) (?:it|they|i|my \w+) (?:bleed|bleeds|bled)\b|\bon purpose\b.{0,10}\b(?:hurt|bled|"
            r"bleed|cut)\b",
            ("cut", "bleed", "bled", "relapse", "purpose"),
            negatable=True,
        ),
        Rule(
            "en.ideation.suicide_word",
            IDEATION,
            r"(?<!died by )(?<!death by )(?<!lost to )\bsuicide\b",
            ("suicide",),
            negatable=True,
            unless=r" (?:squad|prevention|awareness|rates?|statistics|bombers?|mission|doors?)\b",
        ),
        Rule(
            "en.ideation.other_cutting",
            IDEATION,
            r"\b" + _OTHERS_EN + r"\b.{0,30}\b(?:is |has been |keeps )?(?:cutting|hurting|harming) (?:herself|himself|"
            r"themselves|themself)\b",
            ("herself", "himself", "themselves", "themself"),
        ),
    ],
    "es": [
        Rule(
            "es.imminent.more",
            IMMINENT,
            r"\b(?:me voy a|voy a) (?:suicidar|matar|quitar la vida)\b|\b(?:hoy|esta noche|ahora) (?:me mato|me "
            r"suicido|acabo con todo|lo hago|termino con todo)\b|\bcuando leas esto\b|\b(?:me tome|tome|trague|me "
            r"trague) (?:un bote|una caja|un frasco|una caja entera|un bote entero)\b",
            ("suicidar", "matar", "vida", "mato", "suicido", "acabo", "hago", "termino", "leas", "tome", "trague"),
        ),
        Rule(
            "es.ideation.more",
            IDEATION,
            r"\b(?:q|k)u?iero (?:morir|morirme|matarme|suicidarme)\b|\bme (?:q|k)u?iero (?:morir|matar|suicidar)\b"
            r"|\b(?:no quiero|ya no quiero) estar viv[oa]\b|\bno despertar(?:me)?(?: nunca| jamas| mas)?\b"
            r"|\bquiero que (?:todo|esto) (?:termine|acabe|se acabe)\b|\bcansad[oa] de (?:vivir|la vida|existir)\b"
            r"|\bprefiero estar muert[oa]\b|\bnadie (?:notaria|se daria cuenta|me echaria de menos)\b"
            r"|\bno le veo sentido a (?:la vida|vivir|nada)\b|\bsin mi (?:el mundo|todos|todo) (?:estaria|estarian|"
            r"seria) mejor\b|\bme quiero ir de este mundo\b|\b(?:tirarme|lanzarme) (?:a|de|por|desde) (?:las vias|el "
            r"puente|la ventana|un puente|el tren|el balcon)\b|\bpara que (?:sigo|seguir) viviendo\b"
            r"|\bdormir para siempre\b|\bno quiero (?:seguir )?vivir\b|\bmejor no (?:existir|estar aqui|haber nacido)\b",
            (
                "iero",
                "viv",
                "despert",
                "mejor",
                "termine",
                "acabe",
                "cansad",
                "muert",
                "nadie",
                "sentido",
                "sin mi",
                "mundo",
                "tirarme",
                "lanzarme",
                "para que",
                "para siempre",
            ),
            negatable=True,
            unless=r" (?:de (?:risa|verguenza|ganas|hambre|sueno|frio|calor)|de la (?:verguenza|risa))\b",
        ),
        Rule(
            "es.self_harm.more",
            SELF_HARM,
            r"\bme (?:he vuelto a|volvi a|estoy|sigo) (?:cortar|cortando|quemar|quemando|lastimar|lastimando|golpear|"
            r"golpeando)\b|\bme (?:golpee|golpeo|pego) (?:la cabeza )?(?:contra la pared|hasta sangrar)\b"
            r"|\bhasta sangrar\b",
            ("cort", "quem", "lastim", "golpe", "sangrar", "pego"),
            negatable=True,
        ),
        Rule(
            "es.ideation.other_more",
            IDEATION,
            r"\b(?:dice|dijo) que quiere (?:morirse|morir|matarse|suicidarse)\b",
            ("quiere",),
        ),
    ],
    "de": [
        Rule(
            "de.imminent.more",
            IMMINENT,
            r"\bich (?:bringe|bring) mich (?:heute|jetzt|heute nacht|morgen)? ?um\b|\b(?:mache|mach) (?:ich )?(?:heute|"
            r"jetzt|heute nacht|morgen) schluss\b|\bwenn (?:du|ihr|sie) (?:das|"
            r"dies) (?:liest|lest|lesen)\b|\bich habe (?:den|einen) strick\b|\b(?:packung|schachtel|flasche) "
            r"(?:\w+ )?(?:tabletten|schlaftabletten|pillen)\b.{0,20}\b(?:geschluckt|genommen)\b|\bheute ist der "
            r"tag\b|\bnehme mir (?:heute|jetzt|heute nacht) das leben\b|\bsammle (?:seit \w+ )?(?:meine |die )?"
            r"(?:tabletten|pillen|medikamente)\b",
            ("bring", "liest", "lest", "lesen", "strick", "tablett", "pillen", "tag", "leben", "sammle"),
        ),
        Rule(
            "de.ideation.more",
            IDEATION,
            r"\bwill (?:morgen |heute )?nicht (?:mehr )?aufwachen\b|\bwache (?:hoffentlich )?nicht mehr auf\b"
            r"|\b(?:besser dran|besser) ohne mich\b|\bkeinen (?:grund|sinn) (?:mehr )?(?:weiterzumachen|"
            r"weiterzuleben|zu leben|mehr)\b|\bfur immer (?:verschwinden|weg sein|schlafen)\b|\bwas hat (?:das|mein) "
            r"leben (?:noch )?fur einen sinn\b|\bware lieber tot\b|\bmich umzubringen\b|\bumbrigen\b"
            r"|\b(?:nie wieder|nicht mehr) aufwachen\b|\beine last fur (?:alle|jeden|meine familie)\b"
            r"|\bdass alles aufhort\b|\bnicht lebenswert\b|\bwenn ich (?:weg|nicht mehr da|tot) ware\b"
            r"|\bwenn ich nicht mehr ware\b|\bso leben will ich (?:auch )?nicht\b|\bob ich (?:noch )?leben will\b"
            r"|\bnicht mehr am leben sein\b|\bwunschte? (?:ich,? )?(?:ich )?ware (?:tot|nie geboren|nicht mehr da)\b|\bvor (?:den|einen) (?:zug|bus|lkw) (?:zu )?werfen\b"
            r"|\b(?:wollte|mag|will) (?:heute )?(?:wieder )?nicht mehr leben\b|\bohne mich ware die welt besser\b",
            (
                "aufwach",
                "wache",
                "ohne mich",
                "grund",
                "sinn",
                "immer",
                "tot",
                "umzubringen",
                "umbrigen",
                "last",
                "aufhort",
                "lebenswert",
                "ware",
                "leben",
                "werfen",
            ),
            negatable=True,
        ),
        Rule(
            "de.self_harm.more",
            SELF_HARM,
            r"\bmir (?:absichtlich |selbst )?(?:wehtun|weh tun|wehgetan|weh getan|schaden)\b|\bmich (?:(?!am\b|beim\b|an\b|im\b|in\b|den\b|finger\b)\w+ ){0,3}"
            r"(?:geschnitten|geritzt|verbrannt)\b",
            ("weh", "schaden", "geschnitten", "geritzt", "verbrannt"),
            negatable=True,
            unless=r" (?:beim|am|in den|mit dem messer beim)\b",
        ),
        Rule(
            "de.ideation.other_more",
            IDEATION,
            r"\b(?:redet|spricht) davon,? sich (?:das leben zu nehmen|umzubringen)\b|\bsich das leben (?:zu )?"
            r"nehmen\b",
            ("leben", "umzubringen"),
        ),
    ],
    "fr": [
        Rule(
            "fr.imminent.more",
            IMMINENT,
            r"\bquand tu liras (?:ce message|ceci|ca)\b|\b(?:ce soir|cette nuit|aujourd'hui) (?:je me tue|c'est fini|"
            r"j'en finis)\b|\b(?:avale|pris) (?:toute|tout|une) (?:la |une )?(?:boite|plaquette|tube) (?:de|d')\b"
            r"|\badieu (?:tout le monde|a tous)\b|\bj'ai (?:la|une) corde\b|\bme foutre en l'air\b"
            r"|\b(?:fait|faire) une (?:overdose|od|surdose)\b",
            ("liras", "tue", "fini", "avale", "pris", "adieu", "corde", "foutre", "overdose", "surdose", "od"),
        ),
        Rule(
            "fr.self_harm.more",
            SELF_HARM,
            r"\bje me suis (?:encore |de nouveau )?(?:re)?(?:coupee?|scarifiee?|mutilee?|blessee?|brulee?|"
            r"frappee?)\b|\b(?:veux|envie de|besoin de) me (?:blesser|couper|bruler|scarifier)\b|\brechute\b",
            ("coup", "scarif", "mutil", "bless", "brul", "frapp", "rechute"),
            negatable=True,
            unless=r" (?:en cuisinant|le doigt|les (?:cheveux|ongles)|avec (?:le|la|un|une)|au (?:travail|sport)|a la)\b",
        ),
        Rule(
            "fr.ideation.more",
            IDEATION,
            r"\bne (?:veux|voudrais) (?:pas|plus) me reveiller\b|\bne veux plus etre en vie\b|\bpas sur[e]? de "
            r"vouloir vivre\b|\b(?:j'aimerais|je voudrais|je prefere|je prefererais) etre mort[e]?\b"
            r"|\bne jamais me reveiller\b|\bun fardeau pour (?:tout le monde|tous|ma famille)\b|\bque tout "
            r"s'arrete\b|\bfatigue[e]? de vivre\b|\bpense au suicide\b|\bprefere etre mort[e]?\b"
            r"|\b(?:j'veux|jveux|je veux) mourir\b|\bpense a se suicider\b|\bveut se (?:tuer|suicider)\b",
            ("reveiller", "vie", "vivre", "mort", "fardeau", "arrete", "suicid", "mourir", "tuer"),
            negatable=True,
        ),
        Rule(
            "fr.ideation.indirect",
            IDEATION,
            r"\benvie d'en finir\b|\b(?:marre|ras le bol) de (?:la vie|vivre|exister)\b|\bveux (?:pu|plus) vivre\b"
            r"|\bme jeter (?:sous|par|du|d'un|de) (?:le |la |un |une )?(?:train|metro|bus|fenetre|pont|voiture)\b"
            r"|\b(?:j')?espere ne (?:pas|plus|jamais) me reveiller\b|\benvie de (?:ne )?plus exister\b"
            r"|\bvaudrait mieux que je (?:meure|disparaisse|sois mort)\b|\bdormir pour toujours\b",
            ("finir", "marre", "bol", "vivre", "jeter", "reveiller", "exister", "mieux", "toujours"),
        ),
    ],
}
for _language, _rules in _MORE.items():
    RULES[_language].extend(_rules)


# Found with messages written after the rules above: slang, spelled-out words, words between "want" and "die".
_FILL = (
    r"(?: (?:i|i could|i would|id|just|really|so|honestly|could|would|sometimes|kind of|kinda|lowkey|literally|even))*"
)
_MORE2: dict[str, list[Rule]] = {
    "en": [
        Rule("en.ideation.slang", IDEATION, r"\bunaliv\w*|\bkys\b|\bsewer ?slide\b", ("unaliv", "kys", "slide")),
        Rule(
            "en.ideation.wish_gap",
            IDEATION,
            r"\b(?:want|wants|wanna|wish|wishing|wanted)"
            + _FILL
            + r" (?:to )?(?:die|not exist|not be here|be dead|not be alive)\b",
            ("die", "exist", "here", "dead", "alive"),
            negatable=True,
            unless=r" (?:of|from|laughing|in shame|of shame|of embarrassment)\b",
        ),
        Rule(
            "en.ideation.indirect_more",
            IDEATION,
            r"\b(?:care|notice|miss me) if i (?:was|were|am|m) (?:gone|dead|not here|not around)\b"
            r"|\bnot being (?:around|here|alive) anymore\b|\beasier (?:to|if i) (?:just )?(?:not wake up|die|was gone|were gone|was dead|disappeared)\b"
            r"|\bwant out of (?:this )?life\b|\b(?:thought|thinking|think|thoughts) (?:about|of) (?:taking|swallowing) (?:all )?(?:my|the) (?:pills|tablets|meds)\b",
            ("care", "notice", "miss", "anymore", "easier", "point", "out of", "taking", "swallowing"),
            negatable=True,
        ),
        Rule(
            "en.ideation.no_point",
            IDEATION,
            r"\b(?:dont|do not|cant|can not|cannot|no longer) (?:see|find) (?:the|any) point (?:in|of) (?:being alive|living|life|going on|being here)\b",
            ("point",),
        ),
        Rule(
            "en.self_harm.indirect",
            SELF_HARM,
            r"\b(?:burned|burnt|burn|burning|cut|cutting) my (?:arms?|legs?|wrists?|thighs?|skin|stomach) with (?:a|my) (?:cigarette|lighter|blade|razor|knife|scissors)\b"
            r"|\b(?:ended up|end up|started|been|keep|kept) cutting\b",
            ("cigarette", "lighter", "blade", "razor", "knife", "scissors", "cutting"),
            negatable=True,
        ),
        Rule(
            "en.imminent.more_means",
            IMMINENT,
            r"\b(?:im|i am) (?:at|by|near) (?:the )?(?:train tracks|tracks|edge of the roof|edge|cliff)\b"
            r"|\btook (?:everything|every pill|all the pills|all the meds) (?:in|from) (?:my|the) (?:medicine )?(?:cabinet|cupboard|drawer|bathroom)\b"
            r"|\b(?:wrote|written|writing|left) (?:letters|notes) (?:for|to) (?:everyone|everybody|my family|my kids|you all)\b"
            r"|\b(?:\d{2,}|a bottle of|a pile of|all my) (?:\w+ )?(?:pills|tablets) (?:in front of me|next to me|on the table|ready)\b",
            ("tracks", "edge", "cliff", "took", "letters", "notes", "pills", "tablets"),
            unless=_TRAFFIC,
        ),
    ],
    "es": [
        Rule(
            "es.ideation.more2",
            IDEATION,
            r"\bno le (?:encuentro|veo) sentido\b|\b(?:hart[oa]|cansad[oa]) de (?:vivir|la vida|existir)\b"
            r"|\bquiero que se (?:acabe|termine)\b|\b(?:gustaria|quisiera|quiero) desaparecer\b(?! (?:un|una|unos|unas|el|este|esta|por|de vacaciones)\b)|\bganas de (?:no existir|desaparecer)\b",
            ("sentido", "hart", "cansad", "acabe", "termine", "desaparecer", "existir"),
            negatable=True,
        ),
        Rule(
            "es.self_harm.more2",
            SELF_HARM,
            r"\b(?:hacer|hacerme|hice|hago|he hecho) (?:\w+ )?cortes\b",
            ("cortes",),
            negatable=True,
        ),
        Rule(
            "es.imminent.more2",
            IMMINENT,
            r"\bvoy a (?:tirarme|lanzarme|saltar)\b|\bestoy en el balcon\b.{0,30}\b(?:tirarme|saltar|lanzarme)\b",
            ("tirarme", "lanzarme", "saltar"),
            unless=_TRAFFIC,
        ),
    ],
    "de": [
        Rule(
            "de.ideation.more2",
            IDEATION,
            r"\bmir das leben zu nehmen\b|\bnicht mehr leben (?:will|mochte|wollen|mag)\b|\b(?:mochte|will|wurde|wurde gern)(?: (?:einfach|nur|noch|gern|lieber))* tot sein\b"
            r"|\bmir (?:etwas|was) an(?:tue|tun)\b|\bsetze? ich (?:dem|allem|meinem leben) ein ende\b",
            ("leben", "tot", "antu", "ende"),
            negatable=True,
        ),
        Rule(
            "de.self_harm.more2",
            SELF_HARM,
            r"\b(?:aufgeschnitten|aufschneiden|aufgeritzt)\b|\bmich (?:wieder )?selbst verletzt\b",
            ("aufgeschnitten", "aufschneiden", "aufgeritzt", "verletzt"),
            negatable=True,
        ),
        Rule(
            "de.imminent.more2",
            IMMINENT,
            r"\b(?:alle|die ganzen|meine) tabletten geschluckt\b|\bsammle (?:\w+ ){0,3}(?:tabletten|pillen|medikamente)\b"
            r"|\b(?:werde|will) es (?:heute|heute nacht|jetzt|morgen) tun\b",
            ("geschluckt", "sammle", "tun"),
            unless=_ROUTINE,
        ),
    ],
    "fr": [
        Rule("fr.ideation.not_there", IDEATION, r"\bne plus etre la\b", ("etre la",)),
        Rule(
            "fr.ideation.more2",
            IDEATION,
            r"\bpense(?: \w+){0,4} a mourir\b|\b(?:voulait|veut|voudrait) mourir\b",
            ("etre la", "mourir"),
            negatable=True,
        ),
        Rule(
            "fr.self_harm.more2",
            SELF_HARM,
            r"\b(?:fait|faire|fais) des (?:coupures|entailles|brulures)\b",
            ("coupure", "entaille", "brulure"),
            negatable=True,
            unless=r" en \w+ant\b",
        ),
        Rule(
            "fr.imminent.more2",
            IMMINENT,
            r"\b(?:garde|gardes|stocke|accumule) (?:mes |des )?somniferes\b|\bpasse(?:r)? a l'acte\b",
            ("somnifere", "acte"),
            unless=_ROUTINE,
        ),
    ],
}
for _language, _rules in _MORE2.items():
    RULES[_language].extend(_rules)
