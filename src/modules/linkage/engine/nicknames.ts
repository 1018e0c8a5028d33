// UK nickname and short-form table: each line is "formal name: short forms…". A short form may belong to several
// formal names (Alex → Alexander, Alexandra; Sandy → Alexander, Sandra). Compiled once into a map from each
// normalised name to the formal names it can stand for (a formal name stands for itself).
// Sources: common English diminutives (Bob/Robert, Peggy/Margaret, Bill/William, Jack/John, Polly/Mary, Ted/Edward…)
// plus short and anglicised forms common in UK social housing records (Welsh, Scottish, Irish, South Asian, Polish,
// West African, Arabic, Somali, Portuguese/Spanish, Italian) — hand-curated, not exhaustive.
const TABLE = `
abigail: abby abbie abi gail
abraham: abe bram
adam: ad
adrian: ade
agnes: aggie nessie ness
albert: al bert bertie
alexander: alex alec alexa sandy sandie xander lex sacha sasha ali alistair alasdair
alexandra: alex lexi lexie sandra sandy sasha alexa
alfred: alf alfie fred freddie
alice: ally allie
alison: ali allie ally
amanda: mandy manda
andrew: andy drew andie
angela: angie ange
anne: annie nan nancy
ann: annie nan
anthony: tony ant
antonia: toni
archibald: archie
arnold: arnie
arthur: art artie
barbara: barb babs barbie
bartholomew: bart
benjamin: ben benny benji
bernard: bernie barney
beatrice: bea bee trixie
bridget: bridie biddy bridgette
caroline: carol carrie caz
catherine: cathy cath kate katie kathy cat kit
katherine: kathy kate katie kath kit kay
kathleen: kath kathy kate katie
christina: chris tina chrissie kristina
christine: chris chrissie tina
christopher: chris kit topher
charles: charlie chas chuck chaz
charlotte: lottie charlie lotte
clifford: cliff
colin: col
cornelius: con neil
cynthia: cindy
cyril: cy
daniel: dan danny
danielle: dani
david: dave davey davy dai dewi
deborah: debbie deb debs
dennis: den
derek: del
diana: di
dominic: dom
donald: don donnie
dorothy: dot dotty dolly dora
douglas: doug dougie
edward: ed eddie ted teddy ned
edmund: ed eddie ned ted
edwin: ed eddie
eleanor: ellie nell nellie elle nora
elizabeth: liz lizzie lizzy beth betty bet bess bessie eliza libby elsie lisa elisabeth betsy
ellen: nell nellie ellie
emily: em emmy millie
emma: em emmy
eugene: gene
evelyn: eve evie
francis: frank frankie fran
frances: fran frankie fanny
frederick: fred freddie freddy fritz
gabriel: gabe
gabrielle: gabby gabi
gareth: gaz
gary: gaz
geoffrey: geoff jeff
george: georgie geordie
georgina: georgie gina
gerald: gerry jerry ged
geraldine: gerry
gertrude: gertie trudy
gillian: gill jill gilly
gordon: gordie
graham: gray
gregory: greg
gwendolen: gwen
gwyneth: gwen
harold: harry hal
harriet: hattie harry
henry: harry hal hank
herbert: herb bert
howard: howie
hugh: hughie
ian: iain
isabel: izzy bella isobel issy
isabella: izzy bella issy
jacob: jake jay
jacqueline: jackie jacqui jacky
james: jim jimmy jamie jem jimmie seamus hamish
jane: janie jenny
janet: jan jenny
jennifer: jen jenny jenna
jeremy: jerry jez
jessica: jess jessie
joanne: jo joanna jo-anne
joan: jo
jonathan: jon jonny
john: jack johnny jon jock ian sean shaun evan ivan iain johnnie
joseph: joe joey jo
josephine: jo josie
joshua: josh
judith: judy jude
julia: jules julie
julian: jules
katrina: kat trina
kenneth: ken kenny
kimberley: kim kimberly
lawrence: larry laurie lol laurence
leonard: len lenny leo
leslie: les
lesley: les
lewis: lew louis
louise: lou lulu
lucy: lu
luke: lucas
margaret: maggie meg peggy peg maisie marge madge greta rita daisy mags
marjorie: marge margie
martin: marty
mary: molly polly mae may mamie maria mimi
matthew: matt matty
maureen: mo
melanie: mel
melissa: mel missy
michael: mike mick micky mickey mikey mitch
michelle: shell shelley
mildred: millie
miriam: mimi
nathan: nat nate
nathaniel: nat nate nathan
nicholas: nick nicky nico
nicola: nicky nikki
nigel: nige
norman: norm
oliver: ollie olly noll
olivia: liv livvy ollie
pamela: pam
patricia: pat patty trish tricia patsy
patrick: pat paddy rick
penelope: penny
peter: pete
philip: phil pip
phillip: phil pip
rachel: rach
raymond: ray
rebecca: becky becca bex
reginald: reg reggie
richard: rick ricky dick rich richie
robert: bob bobby rob robbie bert robin bobbie
roderick: rod roddy
rodney: rod
ronald: ron ronnie
rosemary: rosie rose
rosalind: ros rosie
russell: russ
ruth: ruthie
samantha: sam sammy
samuel: sam sammy
sandra: sandy sandie
sarah: sally sal sadie sara
sebastian: seb
sharon: shaz
simon: si
sophia: sophie
stanley: stan
stephen: steve stevie steph
steven: steve stevie
stephanie: steph stevie
stuart: stu stewart
susan: sue susie suzy sukie
suzanne: sue suzie
sydney: syd sid
sidney: sid syd
terence: terry tel
teresa: terry tess tessa theresa
theodore: theo ted teddy
thomas: tom tommy thom
timothy: tim timmy
tobias: toby
valerie: val
veronica: ronnie roni
victor: vic
victoria: vicky vicki tori vic
vincent: vince vinny
violet: vi
walter: walt wally
wilfred: wilf
william: bill billy will willie liam wills
winifred: winnie freda
yvonne: vonnie
zachary: zach zack
aled: al
dafydd: dai dewi dave
gwilym: gwil
ieuan: ifan
llewellyn: llew
rhiannon: rhi
angharad: angie
siobhan: shiv
sean: shaun shawn
padraig: paddy
seamus: shay
niamh: neve
aoife: eva
ciaran: kieran
eoghan: owen
muhammad: mohammed mohammad mohamed mohamad muhammed mo mohd
ahmed: ahmad
abdullah: abdul
abdulrahman: abdul
mustafa: mustapha
yusuf: yousef youssef joseph
ibrahim: ebrahim abraham
ismail: ismael
hussain: hussein husain
fatima: fatimah
aisha: ayesha aysha
khadija: khadijah
mariam: maryam miriam mary
nadia: nadiya
rajesh: raj
rajinder: raj
rajendra: raj
harjinder: harj
gurpreet: preet
manpreet: preet
jaswinder: jas
sukhwinder: sukhi
mohinder: mo
krishna: kris
lakshmi: laxmi
surinder: sue
abdirahman: abdi
abdullahi: abdi
mohamud: mohamed
oluwaseun: seun
oluwatobi: tobi
oluwafemi: femi
oluwakemi: kemi
olufunmilayo: funmi
adebayo: bayo
oluwadamilare: dami
chukwuemeka: emeka
chinedu: chi
nnamdi: nam
kwame: kwam
aleksander: olek alek
aleksandra: ola olenka
katarzyna: kasia kate
malgorzata: gosia margaret
magdalena: magda
wojciech: wojtek
krzysztof: krzys chris
agnieszka: aga
jozef: jozek joseph
tomasz: tomek thomas
piotr: peter
pawel: paul
jan: janek john
stanislaw: stas stan
joao: john
jose: pepe joseph
francisco: paco frank
giuseppe: beppe peppe joseph
giovanni: gianni john
antonio: toni tony
dimitrios: dimitri jim
konstantinos: kostas costas
ekaterina: katya kate
vladimir: vlad
anastasia: nastya stacey stacy
`;

function norm(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z ]/g, '').trim();
}

/** normalised name → formal names it can stand for (always including itself when it is a formal name). */
export const NICKNAMES: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  const add = (k: string, v: string) => {
    const list = map.get(k);
    if (!list) map.set(k, [v]);
    else if (!list.includes(v)) list.push(v);
  };
  for (const line of TABLE.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const formal = norm(line.slice(0, colon));
    add(formal, formal);
    for (const short of line.slice(colon + 1).split(/\s+/)) {
      const s = norm(short);
      if (s && s !== formal) add(s, formal);
    }
  }
  return map;
})();

/** The number of (short form, formal name) pairs in the table. */
export const NICKNAME_PAIRS = [...NICKNAMES.entries()].reduce((n, [k, v]) => n + v.filter((f) => f !== k).length, 0);

/** True when the two normalised first names can be the same name by the table (Bob/Robert, Bob/Bobby, Liz/Beth). */
export function isNickname(a: string, b: string): boolean {
  if (a === b) return false;
  const fa = NICKNAMES.get(a);
  const fb = NICKNAMES.get(b);
  if (!fa || !fb) return false;
  for (const x of fa) if (fb.includes(x)) return true;
  return false;
}
