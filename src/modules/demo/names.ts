// Name lists for the synthetic demo landlord. faker's en_GB locale has no person names of its own (it falls back
// to US lists), so the names here are curated: common UK given names by birth cohort, and UK surnames of several
// origins, so that search, matching and forms meet apostrophes, diacritics and names that are not "John Smith".
// Every name is common; any resemblance to a real person is coincidence.

export type Sex = 'female' | 'male';

/** British given names by birth cohort (the first birth year each applies from), so ages and names agree. */
export const BRITISH_GIVEN: { from: number; female: string[]; male: string[] }[] = [
  {
    from: 0,
    female: ['Margaret', 'Joan', 'Dorothy', 'Patricia', 'Jean', 'Doreen', 'Irene', 'Betty', 'Eileen', 'Sheila', 'Joyce', 'Barbara', 'Elsie', 'Edna', 'Vera', 'Audrey', 'Mary', 'Kathleen', 'Brenda', 'Iris'],
    male: ['John', 'William', 'George', 'Kenneth', 'Peter', 'Ronald', 'Dennis', 'Arthur', 'Harold', 'Albert', 'Frank', 'Leslie', 'Norman', 'Roy', 'Eric', 'Stanley', 'Derek', 'Raymond', 'Donald', 'Frederick'],
  },
  {
    from: 1946,
    female: ['Susan', 'Linda', 'Christine', 'Margaret', 'Janet', 'Patricia', 'Carol', 'Elizabeth', 'Mary', 'Anne', 'Jacqueline', 'Sandra', 'Pauline', 'Julie', 'Karen', 'Diane', 'Gillian', 'Lesley', 'Valerie', 'Maureen'],
    male: ['David', 'John', 'Michael', 'Peter', 'Robert', 'Stephen', 'Paul', 'Alan', 'Christopher', 'Richard', 'Anthony', 'Brian', 'Ian', 'Keith', 'Graham', 'Trevor', 'Barry', 'Malcolm', 'Colin', 'Terence'],
  },
  {
    from: 1965,
    female: ['Sarah', 'Claire', 'Nicola', 'Emma', 'Lisa', 'Joanne', 'Michelle', 'Helen', 'Samantha', 'Karen', 'Amanda', 'Rachel', 'Louise', 'Julie', 'Kelly', 'Donna', 'Tracey', 'Dawn', 'Catherine', 'Kerry'],
    male: ['Paul', 'Mark', 'David', 'Andrew', 'Richard', 'Christopher', 'James', 'Simon', 'Michael', 'Matthew', 'Stephen', 'Lee', 'Darren', 'Jason', 'Neil', 'Craig', 'Gary', 'Wayne', 'Carl', 'Dean'],
  },
  {
    from: 1985,
    female: ['Rebecca', 'Laura', 'Jessica', 'Sophie', 'Hannah', 'Amy', 'Charlotte', 'Lauren', 'Chloe', 'Emily', 'Gemma', 'Danielle', 'Stacey', 'Jade', 'Katie', 'Natalie', 'Leanne', 'Megan', 'Kayleigh', 'Shannon'],
    male: ['Daniel', 'Thomas', 'James', 'Matthew', 'Ryan', 'Luke', 'Adam', 'Jack', 'Joshua', 'Liam', 'Jamie', 'Callum', 'Kieran', 'Jordan', 'Connor', 'Nathan', 'Lewis', 'Ashley', 'Scott', 'Bradley'],
  },
  {
    from: 2005,
    female: ['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Lily', 'Grace', 'Freya', 'Poppy', 'Ella', 'Evie', 'Isabella', 'Sophia', 'Ruby', 'Millie', 'Harper', 'Willow', 'Rosie', 'Daisy', 'Esme'],
    male: ['Oliver', 'George', 'Harry', 'Noah', 'Jack', 'Leo', 'Arthur', 'Oscar', 'Charlie', 'Jacob', 'Freddie', 'Alfie', 'Theo', 'Archie', 'Thomas', 'Riley', 'Teddy', 'Henry', 'Finley', 'Reggie'],
  },
];

export const BRITISH_SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson',
  'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke', 'Jackson',
  'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison',
  'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths',
  'Mitchell', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Miller', 'Cox', 'Richards',
  'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers',
  'Gray', 'Mason', 'Hunt', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight', 'Lloyd', 'Butler',
  'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Dixon', 'Harvey', 'Fletcher', 'Atkinson', 'Heaton', 'Pickering',
  'Sutcliffe', 'Booth', 'Whitehead', 'Ramsden', 'Brennan', 'Ashworth', 'Hargreaves', 'Lister', 'Crowther', 'Haigh',
  'Ogden', 'Hirst', 'Holroyd', 'Bradshaw', 'Stead', 'Naylor', 'Milner', 'Armitage', 'Firth', 'Sykes', 'Dyson',
  'Rhodes', 'Wainwright', 'Fairclough', 'Ainsworth', 'Pemberton', 'McKenzie', 'Fraser', 'Stewart', 'Reid', 'Ross',
  'Robertson', 'Campbell', 'Pritchard', 'Vaughan', 'Rees', 'Howells', 'Parry', 'Jones-Wright', 'Smith-Jones',
];

export interface NameGroup {
  key: string;
  /** Share of households, in percent (roughly the social-housing population of an English city). */
  weight: number;
  female: string[];
  male: string[];
  /** [male form, female form]; the same name twice where the language does not inflect surnames. */
  surnames: [string, string][];
  /** A surname many women (or men) of the group carry in place of a family name, with its probability. */
  femaleSurname?: { name: string; p: number };
  maleSurname?: { name: string; p: number };
  /** Languages for "may not be fluent in English" alerts; empty where English is usual. */
  languages: string[];
  /** Probability that an adult of the group needs an interpreter (rises with age in the generator). */
  interpreter: number;
}

const same = (names: string[]): [string, string][] => names.map((n) => [n, n]);

/** Groups other than "british" (whose names come from the cohort lists above). Weights sum to about 30. */
export const OTHER_GROUPS: NameGroup[] = [
  {
    key: 'irish', weight: 4, languages: [], interpreter: 0,
    female: ['Siobhan', 'Niamh', 'Aoife', 'Ciara', 'Róisín', 'Bridget', 'Mairéad', 'Orla', 'Sinéad', 'Deirdre'],
    male: ['Patrick', 'Seán', 'Declan', 'Ciarán', 'Conor', 'Niall', 'Eoin', 'Brendan', 'Padraig', 'Cormac'],
    surnames: same(['Murphy', "O'Brien", 'Kelly', 'Byrne', 'Walsh', "O'Connor", 'McCarthy', "O'Neill", 'Doyle', 'Gallagher', "O'Sullivan", 'Quinn', 'McLaughlin', 'Fitzgerald']),
  },
  {
    key: 'caribbean', weight: 3.5, languages: [], interpreter: 0,
    female: ['Marcia', 'Beverley', 'Jennifer', 'Sonia', 'Claudette', 'Paulette', 'Yvonne', 'Janice', 'Hyacinth', 'Jasmine'],
    male: ['Delroy', 'Winston', 'Errol', 'Leroy', 'Marcus', 'Tyrone', 'Andre', 'Clive', 'Desmond', 'Lloyd'],
    surnames: same(['Campbell', 'Brown', 'Williams', 'Clarke', 'Thomas', 'Grant', 'Francis', 'Henry', 'Bailey', 'Reid', 'Gordon', 'McFarlane']),
  },
  {
    key: 'pakistani', weight: 4, languages: ['Urdu', 'Punjabi', 'Pahari'], interpreter: 0.03,
    female: ['Fatima', 'Ayesha', 'Nadia', 'Sadia', 'Saima', 'Zainab', 'Maryam', 'Amina', 'Hira', 'Iqra', 'Noor', 'Shazia'],
    male: ['Mohammed', 'Muhammad', 'Imran', 'Asif', 'Tariq', 'Zahid', 'Adeel', 'Bilal', 'Hamza', 'Ayaan', 'Usman', 'Faisal'],
    surnames: same(['Khan', 'Hussain', 'Ahmed', 'Ali', 'Mahmood', 'Iqbal', 'Akhtar', 'Shah', 'Raza', 'Butt', 'Malik', 'Chaudhry']),
  },
  {
    key: 'bangladeshi', weight: 2.5, languages: ['Bengali', 'Sylheti'], interpreter: 0.05,
    female: ['Fatema', 'Rehana', 'Shirin', 'Nasima', 'Rukhsana', 'Salma', 'Taslima', 'Jahanara', 'Hasina', 'Sumaiya'],
    male: ['Abdul', 'Mohammed', 'Shahid', 'Jamal', 'Rafiq', 'Anwar', 'Aminul', 'Rahim', 'Sayed', 'Ibrahim'],
    surnames: same(['Miah', 'Uddin', 'Rahman', 'Islam', 'Ahmed', 'Hussain', 'Ali', 'Choudhury', 'Hoque', 'Khan']),
    femaleSurname: { name: 'Begum', p: 0.55 },
  },
  {
    key: 'indian', weight: 2, languages: ['Gujarati', 'Hindi'], interpreter: 0.02,
    female: ['Priya', 'Anjali', 'Sunita', 'Meena', 'Pooja', 'Nisha', 'Kavita', 'Asha', 'Deepa', 'Hema'],
    male: ['Rajesh', 'Sanjay', 'Vijay', 'Amit', 'Nikhil', 'Arjun', 'Dev', 'Rohan', 'Ravi', 'Kiran'],
    surnames: same(['Patel', 'Shah', 'Mistry', 'Parmar', 'Chauhan', 'Solanki', 'Kumar', 'Sharma', 'Desai', 'Lad']),
  },
  {
    key: 'sikh', weight: 1.5, languages: ['Punjabi'], interpreter: 0.025,
    female: ['Gurpreet', 'Harjit', 'Jaswinder', 'Manjit', 'Amarjit', 'Simran', 'Navneet', 'Kulwinder'],
    male: ['Gurpreet', 'Harjit', 'Jaswinder', 'Manjit', 'Sukhdev', 'Amarjit', 'Balvinder', 'Harpreet'],
    surnames: same(['Sandhu', 'Gill', 'Sidhu', 'Dhillon', 'Bains', 'Johal', 'Grewal']),
    femaleSurname: { name: 'Kaur', p: 0.7 },
    maleSurname: { name: 'Singh', p: 0.7 },
  },
  {
    key: 'west-african', weight: 4, languages: ['Yoruba', 'Twi'], interpreter: 0.005,
    female: ['Ngozi', 'Chioma', 'Adaeze', 'Folake', 'Abena', 'Ama', 'Funmilayo', 'Yetunde', 'Adwoa', 'Blessing'],
    male: ['Chinedu', 'Emeka', 'Oluwaseun', 'Tunde', 'Kwame', 'Kofi', 'Obinna', 'Adebayo', 'Femi', 'Kwabena'],
    surnames: same(['Okafor', 'Adeyemi', 'Mensah', 'Osei', 'Boateng', 'Okonkwo', 'Adebayo', 'Owusu', 'Eze', 'Asante', 'Okoro', 'Oyelaran']),
  },
  {
    key: 'somali', weight: 1.5, languages: ['Somali'], interpreter: 0.07,
    female: ['Hodan', 'Fadumo', 'Amina', 'Sahra', 'Ifrah', 'Hawa', 'Ubah', 'Nasra'],
    male: ['Abdi', 'Mohamed', 'Ahmed', 'Hassan', 'Yusuf', 'Abdirahman', 'Omar', 'Ismail'],
    surnames: same(['Mohamed', 'Abdi', 'Hassan', 'Warsame', 'Farah', 'Ali', 'Osman', 'Hersi', 'Jama', 'Egal']),
  },
  {
    key: 'polish', weight: 3.5, languages: ['Polish'], interpreter: 0.05,
    female: ['Anna', 'Katarzyna', 'Agnieszka', 'Magdalena', 'Joanna', 'Małgorzata', 'Monika', 'Natalia', 'Zofia', 'Ewa'],
    male: ['Piotr', 'Tomasz', 'Krzysztof', 'Paweł', 'Michał', 'Marek', 'Łukasz', 'Jakub', 'Kamil', 'Adam'],
    surnames: [['Nowak', 'Nowak'], ['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], ['Wójcik', 'Wójcik'], ['Kamiński', 'Kamińska'],
      ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'], ['Woźniak', 'Woźniak'], ['Dąbrowski', 'Dąbrowska']],
  },
  {
    key: 'romanian', weight: 1.5, languages: ['Romanian'], interpreter: 0.06,
    female: ['Elena', 'Ioana', 'Maria', 'Andreea', 'Alexandra', 'Georgiana', 'Mihaela', 'Cristina'],
    male: ['Andrei', 'Ionuț', 'Mihai', 'Florin', 'Gabriel', 'Cristian', 'Ștefan', 'Vasile'],
    surnames: same(['Popescu', 'Ionescu', 'Popa', 'Constantin', 'Stan', 'Dumitru', 'Munteanu', 'Ștefănescu']),
  },
  {
    key: 'turkish-kurdish', weight: 1.5, languages: ['Turkish', 'Kurdish'], interpreter: 0.06,
    female: ['Ayşe', 'Fatma', 'Elif', 'Zeynep', 'Emine', 'Hatice', 'Derya', 'Songül'],
    male: ['Mehmet', 'Mustafa', 'Ahmet', 'Hasan', 'Emre', 'Kemal', 'Hüseyin', 'Serkan'],
    surnames: same(['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Aydın', 'Doğan', 'Arslan']),
  },
  {
    key: 'chinese', weight: 0.7, languages: ['Cantonese', 'Mandarin'], interpreter: 0.06,
    female: ['Mei', 'Li', 'Xiu', 'Ying', 'Jenny', 'Grace', 'Wing', 'Lai'],
    male: ['Wei', 'Jun', 'Ming', 'Hao', 'Kevin', 'Jason', 'Kwok', 'Chi'],
    surnames: same(['Chen', 'Wong', 'Li', 'Zhang', 'Liu', 'Cheung', 'Lam', 'Chan']),
  },
];

/** The share of households whose names come from the British cohort lists. */
export const BRITISH_WEIGHT = 70;

/** Familiar forms staff see on letters ("Known as"). */
export const PREFERRED: Record<string, string> = {
  Margaret: 'Peggy', Elizabeth: 'Liz', Robert: 'Bob', William: 'Bill', Catherine: 'Cathy', Christopher: 'Chris',
  Michael: 'Mick', Anthony: 'Tony', Patricia: 'Pat', Susan: 'Sue', Jacqueline: 'Jackie', Samantha: 'Sam',
  Rebecca: 'Becky', Daniel: 'Dan', Oluwaseun: 'Seun', Mohammed: 'Mo', Krzysztof: 'Chris', Małgorzata: 'Gosia',
  Thomas: 'Tom', Jennifer: 'Jenny', Kenneth: 'Ken', Frederick: 'Fred', Alexandra: 'Alex', Abdirahman: 'Abdi',
  Jaswinder: 'Jas', Gurpreet: 'Gary', Nicola: 'Nicky', Stephen: 'Steve', Andrew: 'Andy', Matthew: 'Matt',
};

