using NUnit.Framework;
using Robotics.Core.Images;
using Robotics.Rewards.Vision.Clip;

namespace Robotics.Rewards.Tests;

/// <summary>
/// CLIP's preprocessing: Pillow's bicubic resize reproduced to the byte (against outputs Pillow 9.4 produced for the
/// same synthetic images), the shorter-side size rule, the centre crop and CLIP's normalisation.
/// </summary>
public class ClipImageTests
{
    /// <summary>The synthetic image the Pillow fixtures were made from: busy, so every tap of the kernel matters.</summary>
    private static RgbImage Pattern(int w, int h)
    {
        var p = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    p[(y * w + x) * 3 + c] = (byte)((x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256);
        return RgbImage.Create(w, h, p);
    }

    // Image.frombytes("RGB", (w, h), pattern).resize((ow, oh), resample=Image.BICUBIC).tobytes(), base64, Pillow 9.4.0.
    private const string Upscaled37x23To51x32 = "AC5jDUJ2K1+ZRHq9XqDYgb7/pN3fvfki7E8ojwRTADN3FVqRO3erXZHOdqvdkcYjqu4AydQw6SBJQSVkAEl+MGSZSX2yYJ7mfb61o9gAvv8R55UzzwhODjFnDEyLMmysTpHHdKvxksZpqucAxf0g80hGiRNlAEp+LGSZSX2yY5jXfrPfmMwtsv8N1d439x5OSCpmCVCLL2SpLF+mQoPKarO0lsdav2V3hFqqRIm5brZ/ooailoN9a5YtlDBRUzx6KWqiU4i8cqeOkNRBsL4R0Q84uRhXcEF1JGCXRIXKkmGmnkpkPHE3VpZgf4WHjGqnX47KdLl4nphSrkN/SmSyUZCSgbl4m9KYwqdJs1w5cyViIUuBL2qeVInNc6nlkeErwaoGzVtEiUyQTnS+Vp6OgbU+e7ScnqPHra+rnM46z1RkhktkN2tialabV4jWbMOgqs033EpmVzBvAEp+PXKnY5fvh8+FrMEF2RI66CBeoE+KN3auYa2gnVFgiA5PC0iQMXJ+YnuMfH66dabrlOGAxrZP3UN8X3BsKnCOPHjNfbH8ovpL3p8Z4hJXJUN5KGmpWpS+gLqgsLMttUcnjhdaTpqHhY68l5t9hL0VsvUc5XU+vSZuKmOZVI7VhMlxs7kI4BdDUS9tHWOZWo/GjsX6Q3esE0Z7Sn+0darxoOOTz9kl/ThgcUyLOIHAeK3OreAnYpdPLmSyaJvQkdg2yoAUxQxQIUV5MXClZ5vckcjwzv9LW449D0KQgLXtr/da5aIx5ilsQmGYTY7ThMGgr9kQ6Dc/eyR6KXZ2ndUM3kUrjBtjC06FLWZXV2OXfYeOjb4gzEhThkZvQHyJiYa5yD2Clj2CNojDf8r/p1uPgBFGHVOIRo/Hp26P0jZIXE6ATXrOb72urOQ+92I9pYyudpfTwx5TTUxMPmyGdYSdgr0ctU0/rkGke7/lt/8x0oQxrieBUIO5ecfNuneHyg1HW3q5b8xstbEo5D46az1wP3C8dojA9FFIjEt6VnjAY67pJFi2X5+afcVgYJIpoVVyi2ptVZxxSqPXvYhez2I9glOOYJnQuDZrrwAwCE6DP4nFpYuHwnVHNnSoYLWasMRd45EwtUuIt1+stWCWiR5hQGOqV2mxjF58ZKZDw40msm1YN3KyeLt40KRJzHdUQnaqb7z/tnS0xwtBUHWxjH5LtlEaiSNuP2i4aLusr8CNtEmdeZRyjqSEznu4fLDPpdpkhLs3EkmRT3PEl8N2qNc6WmuebLY5uYoW5hJSP2KaiT1yrSBVOVGGYJTaptOLut08Wo/Ajr5H0pMg3i14V4mjl0xysyRVNHyNe67av2ieug1HPkCNh8ZVgcc5GE1oQ3rMjMxml9kgPHGkb7f1xIK32yBWQWuhnDVbnyFIGGOXZKPJoNVvoNg7Wp+wfsk8v5At8Cxv0f81aJxbL3Cnda/myCZnsGSVkKjL0xJHX1d9dE101AY8OVmOWKXarpDF2iJXlqXcvYCr1y5RRXWqsT5ltTRmSXWbi8waZZVmTHqKi80J6FFFsEySaHar5CVcgmKbYLF9nNITTIuqgLxdjMIPCD1vOoK/sm+k9ThwYYDBk81UnctKVIu9puVAXZhJL2NlsOYjPnRNL2CadKDWXI1VUJ2teYnV2FaH04YabHZKL1ijm2idNE2ZPFqlqXaqpTVqkJnOs63i/yNYlIzAUm2nSTR2VpDXySlswTF5YKDh02NDm5Qpf6436Wg0tnKQUmejI16Tm4O3rDuOpmCGptelu06In3aBUpR8AClvOoK/pWOX3CFXeqLcwYp1uXFYUYW44HVLmWt+K2ytRXpHOYmmcGquuzxwJWmyeonGx324yUFyg6MnQYxNKWGlT6DYSIV5Ro+Ia5vU6BNJsm2igpvQqjNoc4W6S2mjSUdufL6glUZkn1dxpdW7uDqAvWcqxpEj1UKTmmepVHGkPW+lkY/H12BWu2VpaZrp2ltIoG2FQ4bAPHFcXaXFqWOd2RZLfaXamU2PkzN6XJDPtzuIsniFaKycF02dc3S0sFuSthtafLfsyleM0TpvXZTKHFWPT4W9g7fxRHKtm808fsBBK0uMzBVNlleMLXSpBTpvVp7TuGis5zE9q8wGLm9bSYJnxPo2Q4ydoTiA2kB4ZJ7MvCJVtlmPl7fw+jd327MtfclFK2CJisQSb6doZJmjxvsriM+7qGmw3ihdbY3CH2OZM2yeir/uRH7Cdq5QpuA0a6TMwitnozZoQ4y52iRYklWWflWYvxpOl57YQ57WMk2DuxFHj3eCOH+VEEGJkJjQdaHVY2KXow5Dm6XaXZHISipZxxorbVeDKnGUN21ua7nlaonefoaVvvlMdpCKL1CUKlqQnZ3VbZ+7aLJ3qt9FnNW5NHauJWhhzf8gdq2TLlWcKkJ6dKftS4TQW5qBtPtQhcLROXCiOG1EvfJFcnyMc4d4rusxiR9chI5plLh+rV2UZIe/W1SJfh1SoEuAUGm0OoOQaJ5bjND2TJ3XWz535gBAnY7HN4/KI1Jzv3AtlZmtNHnJBjJ3q16eo52DdMRigLVknmyCd16bQYS5WbToelasqHJLxP4Xa6u/ZEWmiEZop9qKYaKxSEuPYzNZk8B9UZShbHN+7Zk6n7vgP3zfIFWJcaZJcLJTgcdum+B/Lnm8ebhWsNtVlK7nJ2afdS9k0jZrepHGS1+nd49RxPski8DTJm2zNjJb1TI/hIa2QYbOTHyMvdcosN+eXaHJHUN/rwtPuHkedMIrNG2Hy0F2yXCna6vgYXarsitwzFU8i8wtJW2FnEVw92N5g7b7R5jTjUGD8iE1utgFUaNmYEeY4S9zpK7Bd7y+ToihH1igcqsrk7VZgIfbi8r/QIm2XEJt+jRqpqbbabvwfIS57Tht3QJGwlYeouMXTYSYEEyfMGhZqNESi73AXaLtanWr5yRU2rssk+FiR3vDNl6YDz17JV1GjcsEg7erM3S5GitgzAxBomuhX5/QP32nE0qUa5g/ueNFir/zJm+scytu/zxS0/IvgsWPQ3TFQWmWtuhLvfcQkc83c7HhGWKWYSxZ7hlP40yBi4G9Yp3alH2zNWasa1OT1TRo6wE2s0eAfoueV6WJJHiiYCt3oUo5q+wVntkwZ6F0OmKnVDF0xlVV0pY7eMlGWq/IMoLaXGKY6mA31UFdil+aVYm+g22iUo3AX2uzriZul6tIpOsOntwpXJHDKWKgJz2AVlBkre4Zl9anbKP9U5PEP4Jpmm047VI6yTttYHe2Unq9glObtiZmuWagrI3EiHOmRXpchmBf0z14pTJnZom9YJfTf12laFOLswpR4jMiuvIal9MqY5drLmurEmOYvCd4/T84t5UOpn+ZjqepmKiUzUOVwSRrkl+ebKPihXS0c1aUmUhi6GQzwdhZoeFQfLFfRXmtKWulKEqITDlaqYoZr8R2k87PaZ7hFlipZDeHwCZqoRVKoleSjpupcr2ROYaupEt78Q5N1xVF0tcum+WJZKDnZJXLTIm+kV2S/yNY8BhN3AVJzEw8vvU4fLe7X5TeVY7CQn+0s0J27BlR1AxKyAA3wIUcoOpHYqDIVJLBQIiwV2uT4ChQ5QRDz1s2uP88drDDW5DdUofDRXqvNXKnhkZ67wpC1AA8yJwboutNY5nIWpC7S4WzNXmvKm2ipRRc12g0wfwvitcXdZl2YWS+XWerWIWjPoayVWew1y913iZg4R1R8A1C7AA0u2OblL3jksflgbf4frP2bqPXNGufPFaLQkuCO0N9NDxzIkNtS4VfwPlFvfc+ses3suEqxtIVmJyEcI7FY664YZrLX5PQQn21DkZ7tD5y/TNo/yNb8xdcwaImm/UOkdYji9EbgsmOesX+c77zWnG1SmGVR32V43klrKxQgtNxh8trhr5rgb5mmrhU65k11HiBvGyqtm+kt2meoa3jkNvqksZ0l8tphLmdYpfVRnqwOnq6NnvCNnrANXm/L2vFQ3eleK1Xea5gd6tndKtka61kRqKtZ4LGqlugMl+WG2OWD1SNAC1yXjZwd0B0fzlw2BRP1kgwyHAdzWwWzGsUympcy2eiymaeiqNqbLZRcaZV4ymEu5JMnuQmqN02reE6suk/tfNBsPtJi9TGfcP/hcv/itH/icX9ib26jsMVmM0XfLFvXZHcaZ7bb6i6cq6qeLKygbe2jcK9dqy+NG+1O3GRRHiGSH6PTYSUSWyUmUV7/yFWTCdgKilnMDtpLWJnJERrGztzPDluzQ1BxgJCsANLtglQuw5VwBNQxhRPyhlYnJMmic4RkscaW4jEN2mcIVaFMGWZOm+jRXytT4q4WpXCZ57Rc6jdfbLni8D1ap/UU4i7YpfFbaLPd6zfgLX0i8D/lc5XoNsEquQbue8lyv4kvvRsj8n/nNJKqt8DtOwgv/4ryFc01QA+4xJI6B1X9Rxm7V9ewvczyU061QJH5RxR/yVaYDBlBDpwF0V6IlCFLFqPOGacQ3CrGUx+DkNwGk99nt0+fLWpap61gLUmkNI0oHNUsxFvxSx+REyJFGSXP3OoT4S5UYa7V4zCaZ7ceK3/ir6wm9dEq/liyX036j0p41w9UWxNNYFcent35lObYGBrL3xiUZl4cKqIg4CYj3GxnIaytJcgx6IU0c8zz/8w3VY//wdQ/ixhaD5zJk+EHl+UMXClQX7EUZnmY7bAc8UyWpeVWYzZaZ7dd6whbKGdb6TCiL1Fneliup1C2k4b8W43ijhNMCZoC0WGJGWbRYC0ZJjQea7ijsOxpN5QvOQH07Impz9KoBFnqjV9LUqRF2i4ZXWg6mk1eIJVWmd1aTyMKVaqNILCTqTeZrjlhc9wnuwitOYKzZsr6zFL1xxkjkV6H1uQLXGmUoe/aJ3Pfbmak5mnr32Ry5UVcoqGV5PZcqfpCD2AH1WDQHeYXJC+eZzrirl8muEJt/8072ZSoSZmE1FzOV2RS3atXZTQe7Dil8w8sfYQ0to39B9TUCxvAVeLMnKnVo3EeaHoj7eyltYSufso56BM1CNkJ01wKVyJUHCma43Fd6r4j9aBrK0XxwZE9iFSmUBoFU+FNmyhUYe8bqPiicDrpe0xw24O4QA/8CdpU0aAIGaSR3ycUIXba6lbld4NwfE/81VikDt5JnKOV5+xiajkosicq84d2S1TaC52G2GWTYK3b6TNj9VuuMAN6xI9Sh5eAEt/NG2kU5jbtVOStSJNF09hNXGNX4rCfKK1jcsWrUYd2AVP5Td7RmWhPouudaHAkqTetddW2Y4wxx9hKkyCLm6iW4/TfLLsnfIz0nQQ0AxWY262YJ/shseXreEZpuN30J1DxH04dKl0onqlkI96eZhNqT99ZG+3W6yymMJuy4YUVFlJCVaWUIS6eKv/pOmYrd8ZZCpRLTl3LWqtX5XPmdZ4lXldaTd/NHu+Zq1rnolnqFeFWYpTcGV7qGRlzYAalyZQSjODOXzDjM//wP9UpK4nXCdsLFiORn/McrPEm9xt2oo8q0VQblFsg8ddv3yJoW14WZdFnt0sz3djuEGMSICJd4rDj7l8qLgv3jtoSzd3Fl2oWJXKkdtEaIBOPUKHSX+0dK7xvNKfur48B0t2KGasbaDLmMy0mc0uXKVySoTOk4m+kMNBtYY0vzBrQWp0Wnavf6GTks8s4FAnZCdLC0+UfrPqvvOLf6JZHi5uQ3Wubq3GoMyHzbwb1jlYdUSeM5KYiMEdxkxCjjaGK2y0GU6AQXS7eLWcq9oQ70NCkzV6Nnyxe6/kJVmPEkh+UovAh8r9ylmNqg5EHFOIRpPIs2OX2idaOmKXVpXen9SnuO0nGE1bRIzPr6PZ1wxBRThsK3K0b6i4ouEc4lwwzECTe7nfwfhCXI9ABTqDTIG2fsX6uXeszBFJaYnKhNlayqoY6yJcUlWPVZrPZ57SCD1wMWSabqLYlsv/TpfgldeMl9NJOGxbdHmxma14jMpOT5/RabVOpIgpw0GAXYvJszd8uApOFmGVU6barVaPxwpKXoXBj915gcNCLGJaKmyxoVed0UN7YEyUWZ/gl3e0uDRgRoN5scA+qqZPIlqtbquxj8hjf7NNUYa7gsxh14g58R1fUXixnlFgti88VkiHVJTdnGGfsi1rP2/DicthcatWIVCRpWaknKJtc7NrQXS9hGauqa+KqtF3j1eKe6BctYFD7BlXSmajgm5auVcwgkqBgLHotmyhyxhPX4vFtaBZlXlDFVCUa6x+o3B1mk5uX6VrrpuzxWqlpjt0gkCMkK56gctcUoZWUobMm9Bwqd4qM2icbq5mlYZQhjR0Tn65qnJlqWVWNH+yitCjlWxshSpUj8CKg75OVYpdKluZ4QAtaSxqMoXGlcP45SxgumOgkqfp7BZLZlSUcVCP2RZNS2CkYL5Cua4E/yZeqbDrxIW63i1iT3+0wjV1wjF9To6wo9sUbKprTJWXqd4E/1A/s1WcYo/E/zJmkFyva7STu/AbYJWti8BqkscfCj9xUYXOO3e1AkV8W5HSq+phqelWaJzOvvI4Yp9RKWt7wPUdPnNgMGW2gLXp";
    private const string Downscaled150x100To36x24 = "eomAgHSBcHmIj3h2d3R5fYqCiod/gn51hHZ0c4WIgoCKgnF5fIKMfHp+joVye3yLfoSKgoWIfXF3iXeBhHCAgYeDf3+Ic35+iYZ+dHdyhnZxfoWChICBgH96c5CKjoF6fnuEfHaJlIF8cnyLgH+IdnCFhWWYinp4kXF+h4h8fn+Lgn+IfYiBdoWAiXKAlXSBjHGKi4WDjHuHgnV4kId0gX2AgIBthYZuc4Z0iYV/eHmBdn98gW2Ognd0jXl1dIxuiYR0dYd7aZOEbIh/e319c4d5j3mJb4yJjHKXiWiEf357enZ9gXqDhYSFd4KBg5KDhX+Bj4B4jZOAf3p7jIWDfYx+dXyBhoqLg4OCgXxpeIaBe3yEiHJ4boFze3N2eYF/c4B6e4l3g3mIe3CAgX11Z5JybnmCfIl8fn6NdZOCjH6JfXmMhZhvlH+ShqSpfImGfJp0h3x8jFJkjF1rdoV4hn9zdJWza4qXfYpufYlstV9en4Nvb4iYcJZuZpCZZ4Whh3qBXoSJm2pUpohVb4eAdYePZoeDVHCdiXaHk3SRgaVtpJ1njnl0knOTbH+WQlqThZdzenx+c4mSeIJ6en+Ahnx1jYN4fH2Hfn5/gHB4XXyXlYd4hH97fX+Gk4pzb3SJeYWNg45+eHODe4t8eXeCgYB5kI+AfIF5hI6IgoWEdmNze4qXlIx8inh8d4uXi39ue4J+gHSAjXt7cn6Ni4GPfnyFhGuAiXaChnV/iIxzeXyMfX+QdH6LdXWLiHWLiXCBh3OSgnx9loaCgYOCd3xzgIGKhY12i5F3fX+DhHiCfnWNgIZ1i3uIgnZ0h4BofYNucJJ7gop1b3mOaodxd32Id4KCi4B7dI5mhXeDfXODhYB4fG+Ac3iHhXeNeHaNfn6Gh3aMgoB8d4p3cnuDjXKGjHeBe4B5f4iAfYSEi4JwgY5+hIRzhHd2e4x+fHmDfXl+gn6AgoZlgX5wiHl5h3x9bJJ0e3eNhX6Dd4OLdZJ8eIqIdYmHh4R+mmaFkaaKgI+NfXx3gnCIa0x0k21ogoh8koN/gpu0bYWccJFuhYtyp1lkkXFsd3eDeY5fcZ6eYH+gfX5tbI10oWRkqn1ZcI2KaIyOapOCYXuflXmRd4WNgYtprZRJfnxyjnmKYYV9R2aaeIR/gn2Hfo2Phnh8fn18gnp/lG5dgYWXfouEhX5/YnyVk35ucnN3eIaFmYxyd3B8g358dYF+cnqUh4F8fneEeHiCk45yhnR9d4KVg4iKeWR7e4KPlG58gX6CgZGKg3txgYJ/eHl9gnRoaHqSfH2Ii4iHkHN5iXp9c4B1f352eYOIin6KfoeGeHGBhmOWi3l+lHJ4iYF9e4eJiXiGfId8d4SEgnV+kW2AiHKMjIGBi32GgXd7jYJyhIKDfIFsiINscYR4iYh6eXmMc4F5hnCRfHhyk3d1dI1xfHlwfnaDkIN7gW96d3+GkH58dYF4eoVzhHmQg2iKfHd+e3d8gHqAhn+KeIuBgI6JfoaDkIF7jI5+iX56joGFhYqEc4KBg4SJg4SDiHpuen19fICBiHd2dHl0eXp3eX57cniBf4Z2hXOFfHeCg2p/gW6An65rd4qWiXCEiHaVYVqCj3FsipFyl3+KkJeheYuPfJR3iIN7fl1xllxhen59hIJtgpKhYImjfIpveI5oo2JqrIFodoyVbJJxcZiGXYKpjXl+XYeMiWheq4RScIx7coeLbpJ+TmyifYWBgnaChJiTfHN/e4F9f4aDg2VkcYSRiJVvgoN6aoycgYp2doOBgnl2mIBvd3OIgX5+gHp2XHSakJGFh393f32DmoxzdGp9eIaVfpF+d2+Fd4+FfHaAfX56kI58iX9sfoyIgoWMe2hyYoCfgoJ5hIN+cH98coOLd4l+eoN7e4eFenKPin2RgICHhGp+hXaIhnd/jId0dYaFhX6McoCHeXGLf3mLjG9/h3aNfnqBkYd9h4aGdH1yf4GLgY13i450eIOHhXl7fneTfoh2i3+Ignp6hX9pfoJzgoZ0iHuNjIR1gHt5eYyFioV+f4R7gox7hn2DeXWFgH55gXB+dXWAgXqNfHeMe3uPf3qPf36EdYR3d36Dh3GGkXCHgIZ7foGAe4iEj312fod7iop1hnp0f4CBeoGFfXV9gXqDiINog3hvh3pyiXKMe3uHoK1igIySi26JfW6bV2WPi4F4gYl9mmCImJZ7fJGWfHt7inKHYViClmpeiIB9koR5jpShaomodIp1g45ummFwl3NieXaMeYxdfKGLXIOmfnpta5NxjmltrHZYdI+EaIqLcZ11XHilioF9cXp/iap+jHl1gXyIgIh+fGdteHeAf4J3h3mDdpWaj4F2en1+f3iClmlae3mSfouGh4l/X3ufkIh0cXZ2coOAoIxwe2h3gX9+dYN5bnqVgYmKf3V+eHeBj4p2mHVqdIGWfomQfWZ8Z4Wffop5aYp6dYp8dXp6cJGKfXuAioeEhn6CfnWFiIyMj3N1inaFd4JzgXl5eYh/kHuMfoqGfHV8g2KSjHiClHN1iHh9fI6FjXOGf4Z4eYKFfHp+jWx9hHGMin6CiX+Egnl+h311hoaFeX9uiYBqeZN1hH6KgX5/fHqBbY+GfIJ4g3+AioODgHh1fXuBi4B9iXB4cn9/iX55eYJ3eIN4gX+KfWmPeXSEfHV9gXt8h3qPe5B/foiOeY2FkIKAh4p9k398kH6DjIWHdoeDg36Hg4OBjXxze3h8fIJ8hHCHfoJ8o6tafJeOkXODeXWZXGeXeHl5fXh9fWeJo55hdpGYhm6JlXWUYGmLjGtpi4p3ln+HmoaUd4+UfIl4iod7c2p9mV9df3p/hINtjYyOX4uleYZzeJFpjmpyrn1nfpCSbotzd5t1U4OumHKDfn6AkKF0fnV7gHN+jYmHeWR5b4COgIJ5hnJ/gp+VhX56eX18e4SHhmVfbHePh5ZuiIp0Zoymh5V5dIaAfnt2nntqeWaBgX1+foV1Y26XhJmYioB0gH19nIx2g2Jrd4iZdpCEe3SAaZCZiYBvb4KAaZSKe3mGbH1/i3yJhIGPfnyHhH55g4WCdn58b3+ReIh+eoJ+fYWBeXaPhn2Qg4SGgmt+gnWMgXyBjn93d49/hn6KdYGEe2+IeHmJinN/iXeHe3qEi4h6iYaIdH91fYOHf4t7iotuco5ucoWAdI2BcHuKaod9ioZ/hIaLipKKiIVxiH6Ih4V4gHx3eoyBhYh5g4R5fYl9iH2EeHiIfX98hXJ9fHN4fXyMf3iGfHeWdn6QfX2LcoB7f3yEgHOFlWyLhoh7g3yBd4iDkHp7fIR7io17fX+EYYV1mH9ld5GFin9/g4iAYXymd2htg3qFfHCRn5VZd5GYgnSSg3KeWnqdlH9yh4t4mFyFoYFjdoiddHSLiHWOV2yTk3BdmH13l4J1mIqEaYukcXmBgYV3hHF8kXthgoCOf4teiqN1ZI+i";

    [TestCase(37, 23, 51, 32, Upscaled37x23To51x32)]
    [TestCase(150, 100, 36, 24, Downscaled150x100To36x24)]
    public void BicubicMatchesPillowByteForByte(int w, int h, int ow, int oh, string expected)
    {
        var resized = PilBicubic.Resize(Pattern(w, h), ow, oh);
        var want = Convert.FromBase64String(expected);
        Assert.That((resized.Width, resized.Height), Is.EqualTo((ow, oh)));
        int differ = want.Where((b, i) => resized.Pixels[i] != b).Count();
        Assert.That(differ, Is.Zero, $"{differ} of {want.Length} bytes differ from Pillow's");
    }

    [Test]
    public void ShrinkingAveragesUnderTheStretchedKernel()
    {
        // 4 → 2 pixels: scale 2, so the a = −0.5 kernel is stretched to support 4 and sampled at −0.25, 0.25, 0.75, 1.25
        // (weights .8672, .8672, .2266, −.0703 before normalising). By hand: 100·.4587 + 200·.1198 + 255·(−.0372) = 60.35
        // and 100·.1198 + 200·.4587 + 255·.4587 = 220.68. PyTorch's bicubic (a = −0.75, no antialias) would give others.
        var row = RgbImage.Create(4, 1, [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
        var half = PilBicubic.Resize(row, 2, 1);
        Assert.That(half.Pixels, Is.EqualTo(new byte[] { 60, 60, 60, 221, 221, 221 }));
    }

    [Test]
    public void UniformImagesStayUniformAndSameSizeIsACopy()
    {
        var grey = RgbImage.Create(50, 30, Enumerable.Repeat((byte)137, 50 * 30 * 3).ToArray());
        Assert.That(PilBicubic.Resize(grey, 17, 93).Pixels, Is.All.EqualTo(137));
        var same = PilBicubic.Resize(grey, 50, 30);
        Assert.That(same.Pixels, Is.EqualTo(grey.Pixels));
        Assert.That(same.Pixels, Is.Not.SameAs(grey.Pixels));
    }

    [Test]
    public void ShorterSideIsResizedAndTheLongerTruncated()
    {
        var p = ClipImageProcessor.ForImageSize(224);
        Assert.That(p.ResizedSize(640, 480), Is.EqualTo((298, 224))); // int(224·640/480) = int(298.67)
        Assert.That(p.ResizedSize(480, 640), Is.EqualTo((224, 298)));
        Assert.That(p.ResizedSize(224, 224), Is.EqualTo((224, 224)));
        Assert.That(p.ResizedSize(100, 50), Is.EqualTo((448, 224)));
    }

    [Test]
    public void CentreCropRoundsTheOffsetDown()
    {
        var p = new ClipImageProcessor { DoResize = false, CropWidth = 2, CropHeight = 1 };
        // 5×2 image whose red channel is the pixel index: the crop starts at x = (5−2)//2 = 1, y = (2−1)//2 = 0.
        var img = RgbImage.Create(5, 2, Enumerable.Range(0, 10).SelectMany(i => new[] { (byte)i, (byte)0, (byte)0 }).ToArray());
        var cropped = p.Prepare(img);
        Assert.That((cropped.Width, cropped.Height), Is.EqualTo((2, 1)));
        Assert.That(new[] { cropped.Pixels[0], cropped.Pixels[3] }, Is.EqualTo(new byte[] { 1, 2 }));
    }

    [Test]
    public void PixelsAreScaledAndStandardisedPerChannelChannelFirst()
    {
        var p = ClipImageProcessor.ForImageSize(2);
        var img = RgbImage.Create(2, 2, [255, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        using var t = p.Process([img, img]);
        Assert.That(t.shape, Is.EqualTo(new long[] { 2, 3, 2, 2 }));
        var v = t.ToArray<float>();
        Assert.That(v[0], Is.EqualTo((1f - 0.48145466f) / 0.26862954f).Within(1e-6));         // R of pixel (0,0)
        Assert.That(v[4], Is.EqualTo((0f - 0.4578275f) / 0.26130258f).Within(1e-6));          // G plane starts at 4
        Assert.That(v[8], Is.EqualTo((128 / 255f - 0.40821073f) / 0.27577711f).Within(1e-6)); // B plane starts at 8
        Assert.That(v[12..], Is.EqualTo(v[..12]));
    }

    [Test]
    public void PreprocessorConfigIsRead()
    {
        const string json = """{"crop_size": {"height": 64, "width": 64}, "size": {"shortest_edge": 72}, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "resample": 3}""";
        var p = ClipImageProcessor.FromJson(json, 224);
        Assert.That((p.ShortestEdge, p.CropWidth, p.CropHeight, p.Mean[0], p.Std[2]), Is.EqualTo((72, 64, 64, 0.5f, 0.5f)));
        Assert.That(ClipImageProcessor.FromJson("""{"size": 96, "crop_size": 80}""", 224) is { ShortestEdge: 96, CropWidth: 80, CropHeight: 80 });
        var e = Assert.Throws<InvalidDataException>(() => ClipImageProcessor.FromJson("""{"resample": 2}""", 224))!;
        Assert.That(e.Message, Does.Contain("bicubic"));
    }
}
