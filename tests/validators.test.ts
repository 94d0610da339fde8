import { describe, expect, it } from "vitest";
import { validators, type ValidatorName } from "../src/policy/validators.js";
import type { Organization } from "../src/types.js";

const org: Organization = {
  name: "Acme",
  aliases: ["Acme Corp"],
  products: ["ThinkBook"],
  codenames: ["Bluejay"],
  competitors: ["Globex"],
  customers: ["Umbrella Corp"],
  internalDomains: ["acme.internal", "corp.acme.com"],
};

interface Table {
  options?: Record<string, unknown>;
  keep: string[];
  drop: string[];
}

/** For each validator: values it must keep and values it must drop (with optional options). */
const tables: Record<ValidatorName, Table[]> = {
  luhn: [
    {
      keep: ["4111 1111 1111 1111", "4556 7375 8689 9855", "5425 2334 3010 9903", "4454794511390933", "371449635398431", "6011-0009-9013-9424", "503802053770", "4030874397740603788"],
      drop: ["4111 1111 1111 1112", "0000 0000 0000 0000", "1234 5678 9012 3456", "12345", "42", "4111111111111111111111"],
    },
  ],
  iban: [
    {
      keep: ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "gb42nawi04454264788619", "FR1420041010050500013M02606", "NL91ABNA0417164300"],
      drop: ["GB82 WEST 1234 5698 7654 33", "DE8937040044053201300", "XX00 1234", "HELLO WORLD", "DE00370400440532013000"],
    },
  ],
  ssn: [
    {
      keep: ["460-89-9847", "023-01-0866", "853-37-1694", "123 45 6780", "772-55-1234"],
      drop: ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "078-05-1120", "123-45-6789", "111-11-1111", "12-345-678"],
    },
  ],
  entropy: [
    { keep: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9kLm", "a1B2c3D4e5F6g7H8"], drop: ["aaaaaaaaaaaaaaaa", "passwordpassword", "abab"] },
    { options: { min: 2 }, keep: ["abcd"], drop: ["aaab"] },
  ],
  privateIp: [
    {
      keep: ["10.0.0.5", "172.16.4.1", "172.31.255.254", "192.168.1.20:8080", "127.0.0.1", "169.254.169.254", "100.64.0.1", "::1", "fd12:3456:789a::1", "fe80::1"],
      drop: ["8.8.8.8", "172.32.0.1", "192.169.0.1", "11.0.0.1", "256.1.1.1", "2001:db8::1", "v1.2.3.4"],
    },
    { options: { loopback: false }, keep: ["10.0.0.5", "192.168.1.20:8080"], drop: ["127.0.0.1", "127.8.9.10", "::1", "8.8.8.8"] },
  ],
  loopback: [{ keep: ["127.0.0.1", "127.8.9.10", "::1", "[::1]:8080"], drop: ["10.0.0.5", "8.8.8.8", "128.0.0.1"] }],
  notPlaceholder: [
    {
      keep: ["AKIAZ7Q4KX2LMN3PR5TB", "ghp_8fK2mQ9xLp4RtV7wZ1cB3nD5hJ6kS0aYeU2i", "S3cr3tPass!", "hunter42", "sk_live_51HxQk2LmN8pRt4VwYz6BcDf", "Tr0ub4dor&3", "pump$tation1", "Ca$hFlow2024", "Hunter_pass2", "BlueSkyPassword!"],
      drop: [
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "your_api_key_here", "<your-token>", "xxxx",
        "XXXXXXXXXXXXXXXX", "****", "********", "${API_KEY}", "$(cat token)", "{{ secrets.TOKEN }}", "process.env.STRIPE_KEY",
        "os.environ['KEY']", "changeme", "change_me", "example", "dummy-token", "REDACTED", "[redacted]", "aaaaaaaaaaaa",
        "000000", "1234567890", "abcdefghijkl", "sk_test_xxxxxxxxxxxxxxxx", "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "password", "secret", "password123", "test", "YOUR-SECRET", "insert_token_here", "...", "$STRIPE_KEY", "%API_KEY%",
        "my-secret", "abcabcabcabc", "", "secret!", "foobared", "P@ssw0rd1", "hunter2",
        // a variable named for the secret it holds
        "db_password", "STATS_DB_PASSWORD", "dbPassword", "stripe.secret", "api-token",
        // one digit over and over, in groups
        "000 000 000", "9999-9999-9999",
        // and after a real prefix
        "072 000 0000", "+27 11 000 0000",
      ],
    },
  ],
  notPublicContact: [
    {
      keep: [
        "tom.reyes@initrode.com", "AsukaKawano@dayrep.com", "jsmith@gmail.com", "ceo@acme.com", "press.officer.jane@acme.com",
        "alex.press@acme.com", "itsupportjane@acme.com", "hi.sam@acme.com", "jo.hr@acme.com", "studentsales2@acme.com",
        "kari.nordmann@halvorsen.no", "presse.ola@acme.no", "sven.kontakt@acme.se",
      ],
      drop: [
        "press@acme.com", "support@acme.com", "info@acme.com", "sales@acme.com", "help@acme.com", "noreply@acme.com",
        "no-reply@github.com", "careers@acme.com", "jane@example.com", "bob@mail.example.org", "alice@example.net",
        "x@foo.example", "a@b.test", "c@d.invalid", "root@localhost", "you@yourcompany.com", "john.doe@acme.com",
        "firstname.lastname@acme.com", "name@company.com", "press+eu@acme.com",
        // role words and qualifiers only, with or without separators
        "ugadmissions@uni.ac.uk", "clearing@uni.ac.uk", "phishing@acme.com", "student.services@uni.ac.uk",
        "it-helpdesk@acme.com", "servicedesk@acme.com", "customersupport@acme.com", "media.relations@acme.com",
        // and in other European languages
        "kundeservice@halvorsen.no", "jobb@halvorsen.no", "post@kommune.no", "presse@acme.de", "kundendienst@acme.de",
        "klantenservice@acme.nl", "service.client@acme.fr", "atencionalcliente@acme.es", "kundtjanst@acme.se",
      ],
    },
    { options: { allow: ["hey"] }, keep: ["jo@acme.com"], drop: ["hey@acme.com"] },
  ],
  malformedNumber: [
    {
      // Indian grouping (12,50,000) is wrong in most house styles; rules skip it where rupees, lakhs or crores are written
      keep: ["300,00", "12,5000", "2,50", "1234,567", "1,2345,678", "$3,000,00", "0,500", "1,000,00", "€1234,56", "1,2,00,000", "4,5,50,000", "12,50,000", "₹2,40,00,000"],
      drop: [
        "1,200", "3.5", "1,000,000", "12,345.67", "2,5", "1,2,3", "11,12,13", "42", "1,234", "€1,500", "€2,50", "€1,20", "£12,99", "$3,00",
      ],
    },
    {
      options: { decimalComma: true },
      keep: ["12,5", "4,5", "€2,5", "300,00"],
      drop: ["1,2,3", "1,200", "3.5", "1234"],
    },
  ],
  phone: [
    {
      keep: ["020 7946 0958", "+44 20 7946 0958", "+44 20 7946 0000", "0161 496 0000", "+1 212 555 1234", "01 84 17 61 18", "1 212 555 1234", "32 45 67 89", "011-44-171-316-5457", "011-55-65-612-2102", "(602)272-9781", "+1-604-696-5272x565", "450 0840", "+41 (0)38 549 02 90", "01.84.17.61.18"],
      drop: ["2024-05-06", "12/05/2024", "2019-2023", "1890-1915", "1999 - 2004", "123 4567", "000 000 0000", "072 000 0000", "+27 11 000 0000", "1 4 7 10 13 16 19", "135 136 145 146 235 236", "10 20 30 40", "147 148 149 157", "13 14 23 24", "10.0.0.1", "12 34", "1234567890123456"],
    },
    { options: { min: 10 }, keep: ["020 7946 0958"], drop: ["450 0840"] },
  ],
  dateOfBirth: [
    {
      keep: ["1984-05-12", "12/05/1984", "05/31/1990", "12 May 1984", "May 12, 1984", "3rd of March 1975", "29/02/2000", "07.11.85"],
      drop: ["1984-13-12", "31/02/1990", "2999-01-01", "1850-01-01", "May 32, 1984", "Smarch 3, 1990", "hello", "29/02/2001"],
    },
  ],
  charClasses: [
    { keep: ["hunter2", "S3cr3tPass!", "Password1"], drop: ["stored", "hashed", "ADMIN"] },
    { options: { min: 3 }, keep: ["S3cr3t"], drop: ["hunter2"] },
  ],
  minLength: [
    { keep: ["abcdefgh"], drop: ["abc"] },
    { options: { min: 3 }, keep: ["abc"], drop: ["ab"] },
  ],
  notInternalDomain: [
    { keep: ["www.acme.com", "acme.com", "notacme.internal", "x@acme.com"], drop: ["db01.acme.internal", "https://wiki.corp.acme.com/x", "acme.internal", "bob@corp.acme.com", "postgres://u:p@db.acme.internal:5432/x"] },
  ],
  jwt: [
    {
      keep: ["eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1XzgyNzM2IiwiZXhwIjoxNzY0MDAwMDAwfQ.k3J9xP2mQ7vL4tR8wZ1bN6cF5gH0dY2u"],
      drop: [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "eyJub3RhbGciOjF9.eyJzdWIiOiJ4In0.k3J9xP2mQ7vL4tR8wZ1bN6cF5gH0dY2u",
        "eyJhbGciOiJSUzI1NiJ9.eyJub3Rqc29u.k3J9xP2mQ7vL4tR8wZ1bN6cF5gH0dY2u",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.xxxxxxxxxxxxxxxxxxxx",
        "not.a.jwt",
      ],
    },
  ],
  internalDomain: [
    { keep: ["db01.acme.internal", "https://wiki.corp.acme.com/x", "ACME.INTERNAL."], drop: ["www.acme.com", "evil-acme.internal.com"] },
  ],
};

describe("validators", () => {
  for (const [name, rows] of Object.entries(tables) as [ValidatorName, Table[]][]) {
    describe(name, () => {
      const def = validators[name];
      it("has a description and typed options", () => {
        expect(def.description.length).toBeGreaterThan(10);
        for (const t of Object.values(def.options)) expect(["number", "string", "strings", "boolean"]).toContain(t);
      });
      for (const { options = {}, keep, drop } of rows) {
        const label = Object.keys(options).length ? ` with ${JSON.stringify(options)}` : "";
        it.each(keep)(`keeps %j${label}`, (value) => {
          expect(def.check(value, options, { org })).toBe(true);
        });
        it.each(drop)(`drops %j${label}`, (value) => {
          expect(def.check(value, options, { org })).toBe(false);
        });
      }
    });
  }

  it("every validator has a table", () => {
    expect(Object.keys(tables).sort()).toEqual(Object.keys(validators).sort());
  });

  it("tables have no duplicate cases", () => {
    for (const rows of Object.values(tables)) {
      for (const { keep, drop } of rows) {
        const all = [...keep, ...drop];
        expect(new Set(all).size).toBe(all.length);
      }
    }
  });
});
